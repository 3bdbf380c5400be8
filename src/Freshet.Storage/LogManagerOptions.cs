namespace Freshet.Storage;

public sealed class LogManagerOptions
{
    /// <summary>log.dirs</summary>
    public IList<string> LogDirs { get; set; } = ["./data"];

    public LogConfig DefaultConfig { get; set; } = new();

    /// <summary>node.id, written to meta.properties.</summary>
    public int NodeId { get; set; } = 1;

    /// <summary>The cluster id to use when meta.properties has none; a mismatch with meta.properties is an error.</summary>
    public string? ClusterId { get; set; }

    /// <summary>Test hook: a faulty-disk switch that makes a log dir's I/O fail. Null in production.</summary>
    public IO.DiskFaults? DiskFaults { get; set; }
}
