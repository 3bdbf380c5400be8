using Freshet.Perf.Cli;

namespace Freshet.Perf.Tests;

public class PerfArgumentsTests
{
    [Fact]
    public void Produce_defaults_follow_the_kafka_tool()
    {
        var settings = PerfCommand.Parse("produce");

        Assert.Equal("127.0.0.1:9092", settings.BootstrapServers);
        Assert.Equal(1_000_000, settings.NumRecords);
        Assert.Null(settings.Duration);
        Assert.Equal(100, settings.RecordSize);
        Assert.Equal(1, settings.Partitions);
        Assert.Equal(1, settings.ReplicationFactor);
        Assert.Equal(1, settings.Acks);
        Assert.Equal("none", settings.Compression);
        Assert.Null(settings.LingerMs);
        Assert.Equal(-1, settings.Throughput);
        Assert.False(settings.Json);
    }

    [Fact]
    public void Produce_takes_every_load_option()
    {
        var settings = PerfCommand.Parse(
            "produce", "--bootstrap-server", "h:1", "--topic", "t", "--num-records", "500", "--record-size", "1024",
            "--partitions", "8", "--replication-factor", "3", "--acks", "all", "--compression", "LZ4", "--linger-ms", "2", "--batch-size", "65536",
            "--producers", "3", "--throughput", "2500", "-X", "socket.nagle.disable=true", "--json");

        Assert.Equal("h:1", settings.BootstrapServers);
        Assert.Equal("t", settings.Topic);
        Assert.Equal(500, settings.NumRecords);
        Assert.Equal(1024, settings.RecordSize);
        Assert.Equal(8, settings.Partitions);
        Assert.Equal(3, settings.ReplicationFactor);
        Assert.Equal(-1, settings.Acks);
        Assert.Equal("lz4", settings.Compression);
        Assert.Equal(2, settings.LingerMs);
        Assert.Equal(65536, settings.BatchSize);
        Assert.Equal(3, settings.Producers);
        Assert.Equal(2500, settings.Throughput);
        Assert.Equal([new KeyValuePair<string, string>("socket.nagle.disable", "true")], settings.ClientProperties);
        Assert.True(settings.Json);
    }

    [Fact]
    public void Duration_replaces_the_default_record_count()
    {
        var settings = PerfCommand.Parse("produce", "--duration", "2.5");

        Assert.Null(settings.NumRecords);
        Assert.Equal(TimeSpan.FromSeconds(2.5), settings.Duration);
    }

    [Fact]
    public void End_to_end_paces_by_default_and_has_room_for_the_timestamp()
    {
        var settings = PerfCommand.Parse("e2e");

        Assert.Equal(1000, settings.Throughput);
        Assert.Equal(10_000, settings.NumRecords);
        Assert.Throws<ArgumentException>(() => PerfCommand.Parse("e2e", "--record-size", "4"));
    }

    [Fact]
    public void Consume_takes_consumers_and_a_timeout_but_not_producer_options()
    {
        var settings = PerfCommand.Parse("consume", "--consumers", "2", "--timeout", "3");

        Assert.Equal(2, settings.Consumers);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.Timeout);
        Assert.Throws<ArgumentException>(() => PerfCommand.Parse("consume", "--acks", "1"));
    }

    [Theory]
    [InlineData("--acks", "2")]
    [InlineData("--compression", "brotli")]
    [InlineData("--num-records", "0")]
    [InlineData("--partitions", "0")]
    [InlineData("--replication-factor", "0")]
    [InlineData("--throughput", "0")]
    [InlineData("--record-size", "0")]
    [InlineData("--producers", "0")]
    [InlineData("--payload-file", "/nonexistent/payloads.txt")]
    [InlineData("-X", "novalue")]
    public void Nonsense_values_are_refused(string option, string value) =>
        Assert.Throws<ArgumentException>(() => PerfCommand.Parse("produce", option, value));

    [Fact]
    public void Record_size_and_payload_file_exclude_each_other()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "a\nb\n");
            Assert.Equal(file, PerfCommand.Parse("produce", "--payload-file", file).PayloadFile);
            Assert.Throws<ArgumentException>(() => PerfCommand.Parse("produce", "--payload-file", file, "--record-size", "10"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
