using Freshet.Broker.Replication;
using Freshet.Protocol.Records;
using Freshet.Storage.IO;
using static Freshet.Broker.Tests.Replication.PartitionFixture;

namespace Freshet.Broker.Tests.Replication;

/// <summary>
/// A leader append does not hold the partition's gate across its log write: follower fetches go on meanwhile, and a
/// role change waits for the append, which lands in the epoch it started in.
/// </summary>
public sealed class LeaderAppendTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_role_change_waits_for_an_append_in_flight_while_follower_fetches_go_on()
    {
        var faults = new DiskFaults();
        using var fixture = new PartitionFixture(faults: faults);
        var partition = fixture.Partition;
        Assert.Equal(RoleChange.BecameLeader, partition.ApplyState(State(1, 1, 1, [1, 2], [1, 2])));
        var held = faults.HoldNextWrite(partition.Log.LogDir);

        var stalled = Task.Run(() => fixture.Append(1));
        await held.Reached.WaitAsync(Patience);
        // The follower's fetch takes the gate: it is answered while the leader's write is stalled.
        Assert.True(await Task.Run(() => partition.OnFollowerFetch(2, 0)).WaitAsync(Patience));
        var resign = Task.Run(() => partition.ApplyState(State(2, 2, 2, [1, 2], [1, 2])));

        var first = await Task.WhenAny(resign, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.NotSame(resign, first);
        Assert.True(partition.IsLeader);
        held.Release();

        Assert.Equal(0L, await stalled.WaitAsync(Patience));
        Assert.Equal(RoleChange.Resigned, await resign.WaitAsync(Patience));
        var batches = partition.Log.Read(0, 1 << 20, long.MaxValue, true).Records.ToArray();
        Assert.Equal([1], EpochsOf(batches));
        Assert.Throws<NotLeaderOrFollowerException>(() => fixture.Append(1));
    }

    private static List<int> EpochsOf(byte[] batches)
    {
        var epochs = new List<int>();
        for (var position = 0; position < batches.Length;)
        {
            var header = RecordBatchHeader.Read(batches.AsSpan(position));
            epochs.Add(header.PartitionLeaderEpoch);
            position += header.TotalSize;
        }
        return epochs;
    }
}
