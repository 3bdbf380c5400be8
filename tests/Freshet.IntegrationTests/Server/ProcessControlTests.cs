using System.Diagnostics;
using Freshet.IntegrationTests.Infrastructure;

namespace Freshet.IntegrationTests.Server;

/// <summary>The process controls the cluster tests rely on: a paused broker stops answering, a killed one comes back on its port and data.</summary>
public sealed class ProcessControlTests
{
    [Fact]
    public async Task A_paused_broker_answers_only_after_it_is_resumed()
    {
        using var data = new TempDirectory();
        await using var server = await FreshetServer.StartAsync(data.Path, FreshetServer.FreePort());

        await server.PauseAsync();
        var frozen = Kcat.RunAsync("-b", server.BootstrapServers, "-L", "-m", "20");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(frozen.IsCompleted);
        Assert.Equal("T", ProcessState(server.ProcessId));

        await server.ResumeAsync();
        var listing = await frozen;
        Assert.Equal(0, listing.ExitCode);
        Assert.Contains("broker 1 at", listing.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_killed_broker_restarts_on_the_same_port_with_its_data()
    {
        using var data = new TempDirectory();
        await using var server = await FreshetServer.StartAsync(data.Path, FreshetServer.FreePort(), "log.flush.interval.messages=1");
        var produce = await Kcat.RunWithInputAsync("a\nb\n", "-b", server.BootstrapServers, "-P", "-t", "restart-topic");
        Assert.Equal(0, produce.ExitCode);
        var firstPid = server.ProcessId;

        await server.KillAsync();
        Assert.True(server.HasExited);
        await server.RestartAsync();

        Assert.NotEqual(firstPid, server.ProcessId);
        var consume = await Kcat.RunAsync("-b", server.BootstrapServers, "-C", "-t", "restart-topic", "-o", "beginning", "-e", "-q");
        Assert.Equal(["a", "b"], consume.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Stored_batches_are_read_back_from_the_segment_files_and_compared_across_copies()
    {
        using var data = new TempDirectory();
        await using (var server = await FreshetServer.StartAsync(data.Path, FreshetServer.FreePort()))
        {
            foreach (var input in new[] { "a\nb\nc\n", "d\n" })
            {
                // A long linger makes kcat send each input as one batch whatever the machine's speed: it reads stdin
                // to the end and flushes on exit, long before the linger would.
                var produce = await Kcat.RunWithInputAsync(input, "-b", server.BootstrapServers, "-P", "-t", "stored", "-p", "0", "-X", "linger.ms=5000");
                Assert.Equal(0, produce.ExitCode);
            }
            await server.StopAsync();
        }

        var batches = ReplicaLogs.Read(Path.Combine(data.Path, "stored-0"));
        Assert.Equal([(0L, 2L), (3L, 3L)], batches.Select(b => (b.BaseOffset, b.LastOffset)));

        Assert.Empty(ReplicaLogs.Disagreements(new Dictionary<int, List<ReplicaLogs.StoredBatch>> { [1] = batches, [2] = batches[..1] }));
        var forged = new List<ReplicaLogs.StoredBatch> { batches[0], batches[1] with { Crc = batches[1].Crc ^ 1 } };
        Assert.Single(ReplicaLogs.Disagreements(new Dictionary<int, List<ReplicaLogs.StoredBatch>> { [1] = batches, [2] = forged }));
    }

    // The third field of /proc/<pid>/stat is the state: T when stopped by a signal.
    private static string ProcessState(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
    }
}
