using Freshet.Protocol.Primitives;
using Freshet.Storage.Indexes;

namespace Freshet.Storage.Tests;

/// <summary>
/// Index files are opened per operation, never held: many partitions cost one descriptor each (the active segment's
/// log), and an index whose file was renamed or replaced writes to the right file or to none.
/// </summary>
public sealed class IndexFileHandleTests
{
    [Fact]
    public void Active_segments_hold_their_log_open_and_no_index_file()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using var fixture = new LogFixture(new LogConfig());
        var topicId = KafkaUuid.NewRandom();
        var partitions = Enumerable.Range(0, 50).Select(p => new TopicPartition("many", p)).ToList();
        var logs = fixture.Manager.CreateLogs(partitions, topicId, new LogConfig());
        foreach (var log in logs)
        {
            log.Append(TestBatches.Build(3, 1000, 100), leaderEpoch: 0);
        }

        var open = OpenFilesUnder(fixture.LogDir);

        Assert.Equal(51, open.Count(path => path.EndsWith(LogFileNames.LogSuffix, StringComparison.Ordinal)));
        Assert.DoesNotContain(open, path => path.EndsWith(LogFileNames.IndexSuffix, StringComparison.Ordinal));
        Assert.DoesNotContain(open, path => path.EndsWith(LogFileNames.TimeIndexSuffix, StringComparison.Ordinal));
        // The active segments' indexes are still preallocated, and their entries still reach the files on flush.
        Assert.Equal(new LogConfig().SegmentIndexBytes, new FileInfo(fixture.SegmentFile(0, LogFileNames.IndexSuffix)).Length);
    }

    [Fact]
    public void An_index_whose_file_was_renamed_writes_its_pending_entries_to_the_new_name()
    {
        using var dir = new TempDir();
        var live = dir.Sub("00000000000000000000.index");
        var index = OffsetIndex.Open(live, 0, 4096, 10_000, out _);
        index.Append(10, 1000);
        index.Append(20, 2000);

        File.Move(live, live + LogFileNames.DeletedSuffix);
        index.Renamed(live + LogFileNames.DeletedSuffix);
        index.Dispose();

        Assert.False(File.Exists(live));
        var reopened = OffsetIndex.Open(live + LogFileNames.DeletedSuffix, 0, 4096, 10_000, out var valid);
        Assert.True(valid);
        Assert.Equal((20L, 2000), reopened.Lookup(25));
    }

    [Fact]
    public void A_detached_index_never_writes_to_a_file_that_reuses_its_name()
    {
        using var dir = new TempDir();
        var path = dir.Sub("00000000000000000000.index");
        var old = OffsetIndex.Open(path, 0, 4096, 10_000, out _);
        old.Append(10, 1000);

        old.Detach();
        File.Delete(path);
        var replacement = OffsetIndex.Open(path, 0, 4096, 10_000, out _);
        replacement.Append(5, 500);
        replacement.Dispose();
        old.Flush();
        old.Dispose();

        var reopened = OffsetIndex.Open(path, 0, 4096, 10_000, out var valid);
        Assert.True(valid);
        Assert.Equal(1, reopened.Count);
        Assert.Equal((5L, 500), reopened.Lookup(25));
        // Lookups of the detached index still answer from memory.
        Assert.Equal((10L, 1000), old.Lookup(15));
    }

    private static List<string> OpenFilesUnder(string directory)
    {
        var open = new List<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(directory, StringComparison.Ordinal))
                {
                    open.Add(target);
                }
            }
            catch (IOException)
            {
                // The descriptor closed while we looked.
            }
        }
        return open;
    }
}
