using System.Globalization;
using Freshet.Broker.Configuration;
using Freshet.Broker.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Embedded;

/// <summary>
/// A Freshet broker inside the current process, for tests: the same <see cref="BrokerHost"/>
/// the <c>freshet</c> executable runs, on a free loopback port, with its data in a temporary
/// directory that disposal removes.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly BrokerHost _host;
    private readonly bool _ownsDataDirectory;
    private int _disposed;

    private EmbeddedBroker(BrokerHost host, string dataDirectory, bool ownsDataDirectory)
    {
        _host = host;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
    }

    /// <summary>host:port for a client's bootstrap.servers.</summary>
    public string BootstrapServers => _host.BootstrapServers;

    public BrokerOptions Options => _host.Options;

    public string DataDirectory { get; }

    /// <exception cref="ConfigException">A value in <see cref="EmbeddedBrokerOptions.Settings"/> is invalid.</exception>
    public static async Task<EmbeddedBroker> StartAsync(EmbeddedBrokerOptions? options = null, CancellationToken ct = default)
    {
        options ??= new EmbeddedBrokerOptions();
        if (options.Port is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "Port must be between 0 and 65535.");

        var ownsDirectory = options.DataDirectory is null && !options.Settings.ContainsKey("log.dirs") && !options.Settings.ContainsKey("log.dir");
        var dataDirectory = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "freshet-" + Guid.NewGuid().ToString("N"));

        var settings = new List<KeyValuePair<string, string>>
        {
            new("listeners", "PLAINTEXT://127.0.0.1:" + options.Port.ToString(CultureInfo.InvariantCulture)),
            new("log.dirs", dataDirectory),
        };
        settings.AddRange(options.Settings);
        var brokerOptions = BrokerConfigLoader.Load(settings);
        dataDirectory = brokerOptions.LogDirs[0];

        if (ownsDirectory)
            Directory.CreateDirectory(dataDirectory);
        try
        {
            var host = await BrokerHost.StartAsync(brokerOptions, options.LoggerFactory ?? NullLoggerFactory.Instance, options.DiskFaults, ct).ConfigureAwait(false);
            return new EmbeddedBroker(host, dataDirectory, ownsDirectory);
        }
        catch
        {
            if (ownsDirectory)
                DeleteDirectory(dataDirectory);
            throw;
        }
    }

    /// <summary>Stops the broker, then deletes the data directory if this broker created it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try
        {
            await _host.StopAsync().ConfigureAwait(false);
            await _host.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            if (_ownsDataDirectory)
                DeleteDirectory(DataDirectory);
        }
    }

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }
}
