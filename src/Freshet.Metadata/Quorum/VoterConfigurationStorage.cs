using System.Net;
using DotNext.Buffers;
using DotNext.Net;
using DotNext.Net.Cluster.Consensus.Raft.Membership;

namespace Freshet.Metadata.Quorum;

/// <summary>
/// Holds the Raft member list in memory, filled from <c>controller.quorum.voters</c> at every start:
/// the voters are static configuration in Kafka too, so nothing about membership needs persisting.
/// </summary>
internal sealed class VoterConfigurationStorage : InMemoryClusterConfigurationStorage<EndPoint>
{
    public VoterConfigurationStorage(IEnumerable<EndPoint> voters)
    {
        var members = CreateInitialConfigurationBuilder();
        foreach (var voter in voters)
            members.Add(voter);
        members.Build();
    }

    protected override void Encode(EndPoint address, ref BufferWriterSlim<byte> output) => output.WriteEndPoint(address);

    protected override EndPoint Decode(ref SequenceReader reader) => reader.ReadEndPoint();
}
