using System.Collections.Immutable;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Image;

public sealed record BrokerEndpoint(string Name, string Host, int Port, short SecurityProtocol);

/// <summary>A registered broker as the metadata log describes it.</summary>
public sealed record BrokerRegistration(
    int Id,
    long Epoch,
    KafkaUuid IncarnationId,
    ImmutableArray<BrokerEndpoint> Endpoints,
    string? Rack,
    bool Fenced,
    bool InControlledShutdown);
