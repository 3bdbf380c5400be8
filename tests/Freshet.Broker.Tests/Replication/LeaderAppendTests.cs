using Freshet.Broker.Replication;
using Freshet.Protocol.Records;
using Freshet.Storage.IO;
using static Freshet.Broker.Tests.Replication.PartitionFixture;

namespace Freshet.Broker.Tests.Replication;

/// <summary>Leader appends overlap their writes; a role change waits for them and none lands in an epoch that is over.</summary>
public sealed class LeaderAppendTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_role_change_waits_for_the_appends_in_flight_which_all_land_in_the_old_epoch()
    {
        var faults = new DiskFaults();
        using var fixture = new PartitionFixture(faults: faults);
        var partition = fixture.Partition;
        Assert.Equal(RoleChange.BecameLeader, partition.ApplyState(State(1, 1, 1, [1, 2], [1])));
        var held = faults.HoldNextWrite(partition.Log.LogDir);

        var stalled = Task.Run(() => fixture.Append(1));
        await held.Reached.WaitAsync(Patience);
        // A second append gets in beside the stalled one: the partition does not serialise leader appends.
        var beside = Task.Run(() => fixture.Append(1));
        await EventuallyAsync(() => new FileInfo(Directory.GetFiles(partition.Log.Directory, "*.log").Single()).Length > 0, "the second append wrote its bytes");
        var resign = Task.Run(() => partition.ApplyState(State(2, 2, 2, [1, 2], [1, 2])));

        var first = await Task.WhenAny(resign, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.NotSame(resign, first);
        Assert.True(partition.IsLeader);
        held.Release();

        Assert.Equal(0L, await stalled.WaitAsync(Patience));
        Assert.Equal(1L, await beside.WaitAsync(Patience));
        Assert.Equal(RoleChange.Resigned, await resign.WaitAsync(Patience));
        var batches = partition.Log.Read(0, 1 << 20, long.MaxValue, true).Records.ToArray();
        Assert.Equal([1, 1], EpochsOf(batches));
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
