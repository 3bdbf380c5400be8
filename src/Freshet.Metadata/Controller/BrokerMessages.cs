using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Controller;

/// <summary>A broker announcing itself (Kafka's BrokerRegistrationRequest, the fields the controller uses).</summary>
public sealed record BrokerRegistrationSpec(int BrokerId, KafkaUuid IncarnationId, IReadOnlyList<BrokerEndpoint> Listeners, string? Rack);

/// <summary>On success the broker epoch: the offset of its registration in the metadata log.</summary>
public sealed record BrokerRegistrationReply(ErrorCode Error, long BrokerEpoch, string? Message = null);

/// <summary>Kafka's BrokerHeartbeatRequest: the broker's epoch, how far it has applied the metadata log, and its wishes.</summary>
public readonly record struct BrokerHeartbeat(int BrokerId, long BrokerEpoch, long CurrentMetadataOffset, bool WantFence = false, bool WantShutDown = false);

/// <summary>Kafka's BrokerHeartbeatResponse.</summary>
public sealed record BrokerHeartbeatReply(ErrorCode Error, bool IsCaughtUp, bool IsFenced, bool InControlledShutdown, bool ShouldShutDown)
{
    public static BrokerHeartbeatReply Failed(ErrorCode error) => new(error, false, true, false, false);
}

/// <summary>A block of producer ids: [FirstProducerId, FirstProducerId + Count).</summary>
public sealed record ProducerIdsReply(ErrorCode Error, long FirstProducerId, int Count);
