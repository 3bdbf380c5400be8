using Freshet.IntegrationTests.Infrastructure;

namespace Freshet.IntegrationTests.Clients;

/// <summary>kcat, the tool operators reach for first: list metadata, produce a file, consume it back.</summary>
public sealed class KcatTests : IAsyncLifetime
{
    private BrokerScope _scope = null!;

    public async Task InitializeAsync() => _scope = await BrokerScope.StartAsync();

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task Metadata_listing_shows_the_broker_and_topics()
    {
        var produced = await Kcat.RunWithInputAsync("hello\n", "-b", _scope.BootstrapServers, "-P", "-t", "listed-topic");
        Assert.Equal(0, produced.ExitCode);

        var listing = await Kcat.RunAsync("-b", _scope.BootstrapServers, "-L");

        Assert.Equal(0, listing.ExitCode);
        Assert.Contains("1 brokers:", listing.StandardOutput);
        Assert.Contains($"broker 1 at {_scope.BootstrapServers}", listing.StandardOutput);
        Assert.Contains("topic \"listed-topic\" with 1 partitions:", listing.StandardOutput);
        Assert.Contains("partition 0, leader 1, replicas: 1, isrs: 1", listing.StandardOutput);
    }

    [Fact]
    public async Task A_file_produced_with_kcat_is_consumed_back_identically()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "lines.txt");
        var lines = Enumerable.Range(0, 5000).Select(i => $"line {i}: {new string((char)('a' + (i % 26)), i % 120)}").ToList();
        await File.WriteAllLinesAsync(file, lines);

        var produce = await Kcat.RunAsync("-b", _scope.BootstrapServers, "-P", "-t", "kcat-file", "-z", "snappy", "-l", file);
        Assert.Equal(0, produce.ExitCode);

        var consume = await Kcat.RunAsync("-b", _scope.BootstrapServers, "-C", "-t", "kcat-file", "-o", "beginning", "-e", "-q");
        Assert.Equal(0, consume.ExitCode);
        Assert.Equal(lines, consume.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Keys_and_offsets_round_trip_through_kcat_formats()
    {
        var input = string.Join('\n', Enumerable.Range(0, 100).Select(i => $"k{i}:v{i}")) + "\n";
        var produce = await Kcat.RunWithInputAsync(input, "-b", _scope.BootstrapServers, "-P", "-t", "kcat-keys", "-K:");
        Assert.Equal(0, produce.ExitCode);

        var consume = await Kcat.RunAsync("-b", _scope.BootstrapServers, "-C", "-t", "kcat-keys", "-o", "beginning", "-e", "-q", "-f", "%o %k %s\n");
        Assert.Equal(0, consume.ExitCode);
        var expected = Enumerable.Range(0, 100).Select(i => $"{i} k{i} v{i}");
        Assert.Equal(expected, consume.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
