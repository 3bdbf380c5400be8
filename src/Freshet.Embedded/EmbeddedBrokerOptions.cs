using Microsoft.Extensions.Logging;

namespace Freshet.Embedded;

/// <summary>How to start an <see cref="EmbeddedBroker"/>. Everything is optional.</summary>
public sealed class EmbeddedBrokerOptions
{
    /// <summary>Data directory (log.dirs); null makes a fresh temporary directory, deleted on dispose.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Port on 127.0.0.1; 0 (the default) picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Broker settings by Kafka property name (num.partitions, log.segment.bytes ...); these win over Port and DataDirectory.</summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Where the broker logs; null discards its logs.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>A faulty-disk switch for tests of I/O errors: failing a log dir makes its partitions' I/O throw.</summary>
    public Freshet.Storage.IO.DiskFaults? DiskFaults { get; set; }
}
