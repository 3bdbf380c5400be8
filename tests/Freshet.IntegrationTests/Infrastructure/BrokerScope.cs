using Freshet.Embedded;

namespace Freshet.IntegrationTests.Infrastructure;

/// <summary>
/// An embedded broker over a data directory that outlives it, so a test can stop the broker
/// and start a new one on the same data, as a restart does.
/// </summary>
public sealed class BrokerScope : IAsyncDisposable
{
    private readonly TempDirectory _data = new();
    private readonly Dictionary<string, string> _settings;
    private int? _port;

    private BrokerScope(Dictionary<string, string> settings) => _settings = settings;

    public EmbeddedBroker Broker { get; private set; } = null!;

    public string BootstrapServers => Broker.BootstrapServers;

    public string DataDirectory => _data.Path;

    public static async Task<BrokerScope> StartAsync(IDictionary<string, string>? settings = null)
    {
        var scope = new BrokerScope(new Dictionary<string, string>(settings ?? new Dictionary<string, string>()));
        scope.Broker = await scope.StartBrokerAsync();
        return scope;
    }

    private Task<EmbeddedBroker> StartBrokerAsync()
    {
        // A restart comes back on the port it had, as a real broker does, so clients that outlive
        // the restart reconnect instead of retrying a dead address for the rest of the test. The port is
        // taken below the ephemeral range so that no client's connect() can take it while the broker is down.
        _port ??= FreshetServer.FreePort();
        var options = new EmbeddedBrokerOptions { DataDirectory = _data.Path, Port = _port.Value };
        foreach (var (key, value) in _settings)
        {
            options.Settings[key] = value;
        }
        return EmbeddedBroker.StartAsync(options);
    }

    /// <summary>
    /// Stops the broker cleanly and starts a new one on the same data directory; <paramref name="whileStopped"/> runs
    /// in between, to damage files as a crash or a bad disk would.
    /// </summary>
    public async Task RestartAsync(Action? whileStopped = null)
    {
        await Broker.DisposeAsync();
        whileStopped?.Invoke();
        Broker = await StartBrokerAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        _data.Dispose();
    }
}
