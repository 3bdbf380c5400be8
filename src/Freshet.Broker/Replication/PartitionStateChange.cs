using Freshet.Metadata.Image;
using Freshet.Protocol.Primitives;
using Freshet.Storage;

namespace Freshet.Broker.Replication;

/// <summary>A partition's registration as the metadata image now has it, with the log settings its topic asks for.</summary>
internal sealed record PartitionStateChange(TopicPartition Id, KafkaUuid TopicId, PartitionImage State, LogConfig Config, int MinInSyncReplicas);
