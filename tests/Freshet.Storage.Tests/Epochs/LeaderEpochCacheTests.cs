using Freshet.Storage.Epochs;

namespace Freshet.Storage.Tests.Epochs;

public sealed class LeaderEpochCacheTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string FilePath => Path.Combine(_dir.Path, LogFileNames.LeaderEpochCheckpoint);

    private LeaderEpochCache NewCache(params EpochEntry[] entries)
    {
        var cache = LeaderEpochCacheLoader.Empty(_dir.Path);
        foreach (var entry in entries)
        {
            Assert.True(cache.Assign(entry.Epoch, entry.StartOffset));
        }
        return cache;
    }

    [Fact]
    public void Checkpoint_file_has_Kafkas_text_layout()
    {
        NewCache(new(0, 0), new(3, 120), new(7, 5000));

        Assert.Equal("0\n3\n0 0\n3 120\n7 5000\n"u8.ToArray(), File.ReadAllBytes(FilePath));
        Assert.False(File.Exists(FilePath + LogFileNames.TempSuffix));
    }

    [Fact]
    public void Checkpoint_file_round_trips_and_an_empty_file_is_an_empty_cache()
    {
        NewCache(new(2, 10), new(4, 90));
        var reopened = LeaderEpochCacheLoader.Open(_dir.Path, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, out var rebuild);
        Assert.False(rebuild);
        Assert.Equal([new EpochEntry(2, 10), new EpochEntry(4, 90)], reopened.Entries);

        File.WriteAllBytes(FilePath, []);
        reopened = LeaderEpochCacheLoader.Open(_dir.Path, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, out rebuild);
        Assert.False(rebuild);
        Assert.Empty(reopened.Entries);
    }

    [Theory]
    [InlineData("1\n0\n")]
    [InlineData("0\n2\n1 0\n")]
    [InlineData("0\n1\n1\n")]
    [InlineData("0\n2\n3 10\n2 20\n")]
    [InlineData("0\n2\n2 10\n3 10\n")]
    [InlineData("0\n1\n-1 5\n")]
    public void Unreadable_checkpoint_asks_for_a_rebuild(string content)
    {
        File.WriteAllText(FilePath, content);

        var cache = LeaderEpochCacheLoader.Open(_dir.Path, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, out var rebuild);

        Assert.True(rebuild);
        Assert.Empty(cache.Entries);
    }

    [Fact]
    public void Missing_checkpoint_asks_for_a_rebuild()
    {
        LeaderEpochCacheLoader.Open(_dir.Path, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, out var rebuild);
        Assert.True(rebuild);
    }

    [Fact]
    public void Assign_ignores_the_latest_epoch_at_a_later_offset()
    {
        var cache = NewCache(new(1, 0), new(2, 50));

        Assert.False(cache.Assign(2, 80));
        Assert.False(cache.Assign(2, 50));
        Assert.Equal([new EpochEntry(1, 0), new EpochEntry(2, 50)], cache.Entries);
        Assert.Equal(2, cache.LatestEpoch);
    }

    [Fact]
    public void Assign_of_a_new_epoch_at_the_latest_start_replaces_the_epoch_that_wrote_nothing()
    {
        var cache = NewCache(new(1, 0), new(2, 50));

        Assert.True(cache.Assign(3, 50));

        Assert.Equal([new EpochEntry(1, 0), new EpochEntry(3, 50)], cache.Entries);
    }

    [Fact]
    public void Assign_of_an_older_epoch_drops_the_entries_it_would_break_the_order_of()
    {
        var cache = NewCache(new(1, 0), new(2, 50), new(5, 100));

        Assert.True(cache.Assign(3, 100));

        Assert.Equal([new EpochEntry(1, 0), new EpochEntry(2, 50), new EpochEntry(3, 100)], cache.Entries);
        Assert.Equal("0\n3\n1 0\n2 50\n3 100\n", File.ReadAllText(FilePath));
    }

    [Fact]
    public void Assign_refuses_negative_epochs_and_offsets()
    {
        var cache = NewCache();
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Assign(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Assign(0, -1));
        Assert.Equal(-1, cache.LatestEpoch);
    }

    [Theory]
    // The latest epoch ends at the log end offset.
    [InlineData(7, 7, 9000)]
    // An older epoch ends where the next higher one starts.
    [InlineData(0, 0, 120)]
    [InlineData(3, 3, 5000)]
    // An epoch this log never had: the largest epoch below it, ending where the next higher one starts.
    [InlineData(5, 3, 5000)]
    [InlineData(1, 0, 120)]
    public void EndOffsetFor_answers_as_Kafka(int requested, int expectedEpoch, long expectedEndOffset)
    {
        var cache = NewCache(new(0, 0), new(3, 120), new(7, 5000));

        Assert.Equal((expectedEpoch, expectedEndOffset), cache.EndOffsetFor(requested, logEndOffset: 9000));
    }

    [Fact]
    public void EndOffsetFor_below_the_first_epoch_gives_the_requested_epoch_and_the_first_start()
    {
        var cache = NewCache(new EpochEntry(4, 300), new EpochEntry(6, 700));

        Assert.Equal((2, 300L), cache.EndOffsetFor(2, logEndOffset: 900));
    }

    [Fact]
    public void EndOffsetFor_is_undefined_above_the_latest_epoch_for_minus_one_and_when_empty()
    {
        var cache = NewCache(new EpochEntry(4, 300));
        Assert.Equal((-1, -1L), cache.EndOffsetFor(5, 900));
        Assert.Equal((-1, -1L), cache.EndOffsetFor(-1, 900));
        Assert.Equal((-1, -1L), NewCache().EndOffsetFor(0, 0));
    }

    [Fact]
    public void TruncateFromEnd_drops_entries_starting_at_or_after_the_offset()
    {
        var cache = NewCache(new(1, 0), new(2, 50), new(4, 100));

        Assert.False(cache.TruncateFromEnd(101));
        Assert.True(cache.TruncateFromEnd(50));

        Assert.Equal([new EpochEntry(1, 0)], cache.Entries);
        Assert.Equal("0\n1\n1 0\n", File.ReadAllText(FilePath));
    }

    [Fact]
    public void TruncateFromStart_keeps_the_entry_covering_the_new_start_moved_up_to_it()
    {
        var cache = NewCache(new(1, 0), new(2, 50), new(4, 100));

        Assert.True(cache.TruncateFromStart(70));
        Assert.Equal([new EpochEntry(2, 70), new EpochEntry(4, 100)], cache.Entries);

        Assert.True(cache.TruncateFromStart(100));
        Assert.Equal([new EpochEntry(4, 100)], cache.Entries);
        Assert.False(cache.TruncateFromStart(100));
        Assert.False(cache.TruncateFromStart(20));
        Assert.Equal("0\n1\n4 100\n", File.ReadAllText(FilePath));
    }

    [Fact]
    public void Clear_empties_the_cache_and_its_file()
    {
        var cache = NewCache(new EpochEntry(1, 0));
        cache.Clear();
        Assert.Empty(cache.Entries);
        Assert.Equal("0\n0\n", File.ReadAllText(FilePath));
    }

    public void Dispose() => _dir.Dispose();
}
