using Freshet.IntegrationTests.Infrastructure;

namespace Freshet.IntegrationTests.Server;

/// <summary>The real `freshet` executable, as an operator starts it: it serves kcat and keeps data across restarts.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task Freshet_serve_starts_quickly_and_kcat_lists_it()
    {
        using var data = new TempDirectory();
        var port = FreshetServer.FreePort();
        await using (var server = await FreshetServer.StartAsync(data.Path, port))
        {
            var listing = await Kcat.RunAsync("-b", server.BootstrapServers, "-L");
            Assert.Equal(0, listing.ExitCode);
            Assert.Contains($"broker 1 at 127.0.0.1:{port}", listing.StandardOutput);

            var produce = await Kcat.RunWithInputAsync("a\nb\nc\n", "-b", server.BootstrapServers, "-P", "-t", "process-topic");
            Assert.Equal(0, produce.ExitCode);
        }
        Assert.True(File.Exists(Path.Combine(data.Path, "meta.properties")));
        Assert.True(Directory.Exists(Path.Combine(data.Path, "process-topic-0")));

        await using (var restarted = await FreshetServer.StartAsync(data.Path, port))
        {
            var consume = await Kcat.RunAsync("-b", restarted.BootstrapServers, "-C", "-t", "process-topic", "-o", "beginning", "-e", "-q");
            Assert.Equal(["a", "b", "c"], consume.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }
}
