using Freshet.Metadata.Image;
using Freshet.Metadata.Log;
using Freshet.Metadata.Records;
using Freshet.Metadata.Tests.Image;
using Freshet.Metadata.Tests.Quorum;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Metadata.Tests.Log;

public class ObservedMetadataTests
{
    [Fact]
    public async Task An_observer_replays_the_snapshot_then_the_entries_into_the_controllers_image()
    {
        await using var quorum = new QuorumHarness(nodes: 1);
        var controller = await quorum.StartAsync(1);
        await quorum.WaitForLeaderAsync();
        await quorum.AppendAsync(MetadataDeltaTests.ClusterRecords());
        var observer = new ObservedMetadata(nodeId: 7);

        // Behind the retained window (it starts after the restart-free log's first entry): a snapshot first.
        var first = controller.LogReader.Read(fromOffset: 0, maxBytes: 1 << 20);
        if (first.SnapshotRequired)
            observer.LoadSnapshot(MetadataLogFormat.DecodeSnapshot(controller.LogReader.Snapshot(first.SnapshotEndOffset)!));
        else
            Assert.True(observer.Append(MetadataLogFormat.DecodeEntries(MetadataLogFormat.EncodeEntries(first.Entries))));
        ImageAssert.Equivalent(controller.Image, observer.Image);

        await quorum.AppendAsync([Topic("payments")]);
        await quorum.AppendAsync([Topic("refunds")]);
        var next = controller.LogReader.Read(observer.NextOffset, maxBytes: 1 << 20);

        Assert.False(next.SnapshotRequired);
        Assert.Equal(2, next.Entries.Count);
        Assert.True(observer.Append(MetadataLogFormat.DecodeEntries(MetadataLogFormat.EncodeEntries(next.Entries))));
        ImageAssert.Equivalent(controller.Image, observer.Image);
        Assert.NotNull(observer.Image.TopicByName("refunds"));
    }

    [Fact]
    public void A_snapshot_round_trips_the_whole_image()
    {
        var image = Apply(MetadataImage.Empty, 41, MetadataDeltaTests.ClusterRecords());

        var decoded = MetadataLogFormat.DecodeSnapshot(MetadataLogFormat.EncodeSnapshot(image));

        ImageAssert.Equivalent(image, decoded);
    }

    [Fact]
    public void A_reader_sends_entries_it_holds_and_a_snapshot_for_older_offsets()
    {
        var feed = new ImageFeed();
        var entries = new CommittedEntries(capacity: 2);
        var reader = new MetadataLogReader(feed, entries);
        var image = MetadataImage.Empty;
        for (var offset = 0; offset < 4; offset++)
        {
            var payload = MetadataBatch.Encode([Topic($"t{offset}")]);
            image = Apply(image, offset, MetadataBatch.Decode(payload));
            entries.Add(offset, payload);
            feed.Publish(image);
        }

        var old = reader.Read(fromOffset: 1, maxBytes: 1 << 20);
        var held = reader.Read(fromOffset: 2, maxBytes: 1 << 20);
        var oneOnly = reader.Read(fromOffset: 2, maxBytes: 1);
        var ahead = reader.Read(fromOffset: 4, maxBytes: 1 << 20);

        Assert.True(old.SnapshotRequired);
        Assert.Equal(4, old.SnapshotEndOffset);
        Assert.Equal([2L, 3L], held.Entries.Select(e => e.Offset));
        Assert.Equal([2L], oneOnly.Entries.Select(e => e.Offset));
        Assert.False(ahead.SnapshotRequired);
        Assert.Empty(ahead.Entries);
        Assert.NotNull(reader.Snapshot(4));
        Assert.Null(reader.Snapshot(3));
    }

    [Fact]
    public void An_observer_skips_entries_it_has_and_refuses_a_gap()
    {
        var observer = new ObservedMetadata(nodeId: 4);
        observer.LoadSnapshot(Apply(MetadataImage.Empty, 10, [Topic("a")]));

        var applied = observer.Append([Entry(9, "old"), Entry(10, "old"), Entry(11, "b")]);
        var gap = observer.Append([Entry(13, "d")]);

        Assert.True(applied);
        Assert.False(gap);
        Assert.Equal(11, observer.Image.Offset);
        Assert.NotNull(observer.Image.TopicByName("b"));
        Assert.Null(observer.Image.TopicByName("old"));
        Assert.Null(observer.Image.TopicByName("d"));
    }

    [Fact]
    public void An_observer_skips_a_malformed_entry_as_the_controllers_do_and_keeps_following()
    {
        var observer = new ObservedMetadata(nodeId: 4);

        var applied = observer.Append([new CommittedEntry(0, new byte[] { 5, 1 }), Entry(1, "b")]);

        Assert.True(applied);
        Assert.Equal(1, observer.Image.Offset);
        Assert.NotNull(observer.Image.TopicByName("b"));
    }

    [Fact]
    public void An_older_snapshot_does_not_replace_a_newer_image()
    {
        var observer = new ObservedMetadata(nodeId: 4);
        observer.LoadSnapshot(Apply(MetadataImage.Empty, 20, [Topic("new")]));

        observer.LoadSnapshot(Apply(MetadataImage.Empty, 5, [Topic("old")]));

        Assert.Equal(20, observer.Image.Offset);
        Assert.Null(observer.Image.TopicByName("old"));
    }

    private static CommittedEntry Entry(long offset, string topic) => new(offset, MetadataBatch.Encode([Topic(topic)]));

    private static MetadataRecord Topic(string name) => MetadataRecord.Of(new TopicRecord { Name = name, TopicId = KafkaUuid.NewRandom() });

    private static MetadataImage Apply(MetadataImage image, long offset, IEnumerable<MetadataRecord> records)
    {
        var delta = new MetadataDelta(image);
        foreach (var record in records)
            delta.Replay(record);
        return delta.Apply(offset);
    }
}
