namespace Freshet.Metadata.Quorum;

public sealed class ControllerQuorumOptions
{
    /// <summary><c>node.id</c>: must be one of <see cref="Voters"/>.</summary>
    public required int NodeId { get; init; }

    /// <summary><c>controller.quorum.voters</c>.</summary>
    public required IReadOnlyList<QuorumVoter> Voters { get; init; }

    /// <summary><c>metadata.log.dir</c>, or the first log dir; the log lives in its <c>__cluster_metadata-0</c>.</summary>
    public required string MetadataLogDir { get; init; }

    /// <summary>Kafka's <c>controller.quorum.election.timeout.ms</c> (default 1000); Raft picks each timeout in [this, 2 × this).</summary>
    public int ElectionTimeoutMs { get; init; } = 1000;

    /// <summary>Kafka's <c>controller.quorum.request.timeout.ms</c> (default 2000).</summary>
    public int RequestTimeoutMs { get; init; } = 2000;

    /// <summary>
    /// Where clients and brokers reach this controller over the Kafka protocol, published to the other voters; set
    /// once the listener is bound, before the quorum starts. Null: not published.
    /// </summary>
    public ControllerListener? ClientListener { get; set; }

    /// <summary>Log entries applied between two snapshots of the image.</summary>
    public int SnapshotEveryEntries { get; init; } = 1000;

    /// <summary>Committed entries kept in memory for observers; one further behind is sent the image as a snapshot.</summary>
    public int RetainedEntries { get; init; } = 4096;

    public const string LogDirName = "__cluster_metadata-0";

    public string LogDirectory => Path.Combine(MetadataLogDir, LogDirName);
}
