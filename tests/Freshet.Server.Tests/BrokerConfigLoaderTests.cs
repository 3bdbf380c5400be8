using Freshet.Broker.Configuration;

namespace Freshet.Server.Tests;

public class BrokerConfigLoaderTests
{
    private static BrokerOptions Load(params (string Key, string Value)[] settings) =>
        BrokerConfigLoader.Load(settings.Select(s => new KeyValuePair<string, string>(s.Key, s.Value)));

    [Fact]
    public void No_settings_gives_freshet_defaults()
    {
        var options = Load();
        Assert.Equal("127.0.0.1", options.ListenHost);
        Assert.Equal(9092, options.ListenPort);
        Assert.Equal(["./data"], options.LogDirs);
        Assert.Equal(168L * 3600 * 1000, options.LogRetentionMs);
        Assert.All(BrokerConfigDefinitions.Describe(options), e => Assert.True(e.IsDefault, e.Name));
    }

    [Fact]
    public void Every_setting_is_applied()
    {
        var options = Load(
            ("node.id", "7"), ("listeners", "PLAINTEXT://:19092"), ("advertised.listeners", "PLAINTEXT://broker1:29092"),
            ("log.dirs", "/d1, /d2"), ("num.partitions", "6"), ("default.replication.factor", "3"),
            ("auto.create.topics.enable", "FALSE"), ("message.max.bytes", "2000000"), ("socket.request.max.bytes", "1000"),
            ("queued.max.requests", "10"), ("max.connections", "100"), ("fetch.max.bytes", "4096"),
            ("log.segment.bytes", "1048576"), ("log.roll.ms", "1000"), ("log.index.interval.bytes", "100"),
            ("log.index.size.max.bytes", "1024"), ("log.retention.bytes", "5000"), ("log.cleanup.policy", "compact, delete"),
            ("log.message.timestamp.type", "LogAppendTime"), ("compression.type", "zstd"), ("log.flush.interval.messages", "1"),
            ("min.insync.replicas", "2"), ("cluster.id", "MkU3OEVBNTcwNTJENDM2Qk"), ("log.cleaner.min.cleanable.ratio", "0.25"),
            ("unclean.leader.election.enable", "true"));

        Assert.Equal(7, options.NodeId);
        Assert.Equal(("0.0.0.0", 19092), (options.ListenHost, options.ListenPort));
        Assert.Equal(("broker1", (int?)29092), (options.AdvertisedHost, options.AdvertisedPort));
        Assert.Equal(["/d1", "/d2"], options.LogDirs);
        Assert.Equal(6, options.NumPartitions);
        Assert.Equal((short)3, options.DefaultReplicationFactor);
        Assert.False(options.AutoCreateTopicsEnable);
        Assert.Equal(2000000, options.MessageMaxBytes);
        Assert.Equal(1000, options.SocketRequestMaxBytes);
        Assert.Equal(10, options.QueuedMaxRequests);
        Assert.Equal(100, options.MaxConnections);
        Assert.Equal(4096, options.FetchMaxBytes);
        Assert.Equal(1048576, options.LogSegmentBytes);
        Assert.Equal(1000, options.LogRollMs);
        Assert.Equal(100, options.LogIndexIntervalBytes);
        Assert.Equal(1024, options.LogIndexSizeMaxBytes);
        Assert.Equal(5000, options.LogRetentionBytes);
        Assert.Equal("compact,delete", options.LogCleanupPolicy);
        Assert.Equal("LogAppendTime", options.LogMessageTimestampType);
        Assert.Equal("zstd", options.CompressionType);
        Assert.Equal(1, options.LogFlushIntervalMessages);
        Assert.Equal(2, options.MinInsyncReplicas);
        Assert.Equal("MkU3OEVBNTcwNTJENDM2Qk", options.ClusterId);
        Assert.Equal(0.25, options.LogCleanerMinCleanableRatio);
        Assert.True(options.UncleanLeaderElectionEnable);
    }

    [Theory]
    [InlineData("log.retention.hours=1", 3_600_000L)]
    [InlineData("log.retention.minutes=2", 120_000L)]
    [InlineData("log.retention.ms=5", 5L)]
    [InlineData("log.retention.hours=1,log.retention.minutes=2", 120_000L)]
    [InlineData("log.retention.ms=5,log.retention.hours=1", 5L)]
    [InlineData("log.retention.minutes=2,log.retention.ms=5,log.retention.hours=1", 5L)]
    [InlineData("log.retention.hours=-1", -1L)]
    [InlineData("log.retention.minutes=-1", -1L)]
    public void Retention_ms_beats_minutes_beats_hours(string settings, long expectedMs)
    {
        var pairs = settings.Split(',').Select(s => s.Split('=')).Select(p => (p[0], p[1])).ToArray();
        Assert.Equal(expectedMs, Load(pairs).LogRetentionMs);
    }

    [Fact]
    public void Roll_ms_beats_roll_hours_and_log_dirs_beats_log_dir()
    {
        var options = Load(("log.roll.ms", "10"), ("log.roll.hours", "1"), ("log.dirs", "/many"), ("log.dir", "/one"));
        Assert.Equal(10, options.LogRollMs);
        Assert.Equal(["/many"], options.LogDirs);
        Assert.Equal(2 * 3_600_000L, Load(("log.roll.hours", "2")).LogRollMs);
        Assert.Equal(["/one"], Load(("log.dir", "/one")).LogDirs);
    }

    [Fact]
    public void Later_value_for_the_same_key_wins()
    {
        Assert.Equal(5, Load(("num.partitions", "3"), ("num.partitions", "5")).NumPartitions);
    }

    [Theory]
    [InlineData("num.partitions", "abc", "expected an integer ≥ 1")]
    [InlineData("num.partitions", "-1", "expected an integer ≥ 1")]
    [InlineData("num.partitions", "0", "expected an integer ≥ 1")]
    [InlineData("num.partitions", "99999999999", "expected an integer ≥ 1")]
    [InlineData("node.id", "-2", "expected an integer ≥ 0")]
    [InlineData("broker.id", "x", "expected an integer ≥ 0")]
    [InlineData("default.replication.factor", "40000", "expected an integer between 1 and 32767")]
    [InlineData("auto.create.topics.enable", "yes", "expected true or false")]
    [InlineData("message.max.bytes", "-1", "expected an integer ≥ 0")]
    [InlineData("socket.request.max.bytes", "0", "expected an integer ≥ 1")]
    [InlineData("queued.max.requests", "0", "expected an integer ≥ 1")]
    [InlineData("max.connections", "-1", "expected an integer ≥ 0")]
    [InlineData("fetch.max.bytes", "1000", "expected an integer ≥ 1024")]
    [InlineData("log.segment.bytes", "10", "expected an integer ≥ 14")]
    [InlineData("log.roll.ms", "0", "expected an integer ≥ 1")]
    [InlineData("log.roll.hours", "0", "expected an integer ≥ 1")]
    [InlineData("log.index.interval.bytes", "-5", "expected an integer ≥ 0")]
    [InlineData("log.index.size.max.bytes", "3", "expected an integer ≥ 4")]
    [InlineData("log.retention.ms", "-2", "expected an integer ≥ -1")]
    [InlineData("log.retention.minutes", "1.5", "expected an integer ≥ -1")]
    [InlineData("log.retention.hours", "week", "expected an integer ≥ -1")]
    [InlineData("log.retention.bytes", "-3", "expected an integer ≥ -1")]
    [InlineData("log.cleanup.policy", "archive", "expected a comma-separated list of delete, compact")]
    [InlineData("log.cleanup.policy", "", "expected a comma-separated list of delete, compact")]
    [InlineData("log.message.timestamp.type", "createtime", "expected one of CreateTime, LogAppendTime")]
    [InlineData("compression.type", "none", "expected one of uncompressed, zstd, lz4, snappy, gzip, producer")]
    [InlineData("log.flush.interval.messages", "0", "expected an integer ≥ 1")]
    [InlineData("log.flush.interval.ms", "-1", "expected an integer ≥ 0")]
    [InlineData("log.cleaner.min.cleanable.ratio", "1.5", "expected a number between 0 and 1")]
    [InlineData("log.cleaner.delete.retention.ms", "-1", "expected an integer ≥ 0")]
    [InlineData("min.insync.replicas", "0", "expected an integer ≥ 1")]
    [InlineData("unclean.leader.election.enable", "1", "expected true or false")]
    [InlineData("leader.imbalance.per.broker.percentage", "101", "expected an integer between 0 and 100")]
    [InlineData("cluster.id", "", "expected a non-empty string")]
    [InlineData("log.dirs", " , ", "expected a non-empty comma-separated list")]
    [InlineData("log.dir", "", "expected a non-empty string")]
    [InlineData("listeners", "", "expected a listener like PLAINTEXT://host:port")]
    public void Invalid_value_names_property_value_and_expectation(string name, string value, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => Load((name, value)));
        Assert.Equal($"invalid value for {name}: '{value}' ({expected})", e.Message);
        Assert.Equal(name, e.PropertyName);
        Assert.Equal(value, e.Value);
    }

    [Fact]
    public void Unknown_keys_are_reported_and_kept()
    {
        var options = BrokerConfigLoader.Load(
            [new("sasl.enabled.mechanisms", "PLAIN"), new("num.partitions", "2"), new("ssl.keystore.type", "JKS")],
            out var unknown);
        Assert.Equal(["sasl.enabled.mechanisms", "ssl.keystore.type"], unknown);
        Assert.Equal("PLAIN", options.OtherSettings["sasl.enabled.mechanisms"]);
        var describe = BrokerConfigDefinitions.Describe(options);
        var mechanisms = Assert.Single(describe, e => e.Name == "sasl.enabled.mechanisms");
        Assert.False(mechanisms.IsDefault);
    }

    [Fact]
    public void Cluster_settings_are_known_and_checked()
    {
        var options = BrokerConfigLoader.Load(
            [new("process.roles", "broker,controller"), new("controller.quorum.voters", "1@h:9093,2@h:9094"),
             new("listeners", "PLAINTEXT://:9092,CONTROLLER://:9093"), new("broker.session.timeout.ms", "3000"), new("broker.rack", "r1")],
            out var unknown);
        Assert.Empty(unknown);
        Assert.Equal("1@h:9093,2@h:9094", options.ControllerQuorumVoters);
        Assert.Equal(9093, options.ControllerPort);
        Assert.Equal(3000, options.BrokerSessionTimeoutMs);
        Assert.Equal("r1", options.BrokerRack);

        var roles = Assert.Throws<ConfigException>(() => BrokerConfigLoader.Load([new("process.roles", "broker,zookeeper")]));
        Assert.Equal("process.roles", roles.PropertyName);
    }

    [Fact]
    public void Describe_marks_changed_settings_and_formats_values_as_kafka_does()
    {
        var options = Load(("num.partitions", "4"), ("log.retention.hours", "24"), ("listeners", "PLAINTEXT://:9093"));
        var byName = BrokerConfigDefinitions.Describe(options).ToDictionary(e => e.Name);

        Assert.Equal("4", byName["num.partitions"].Value);
        Assert.False(byName["num.partitions"].IsDefault);
        Assert.Equal("86400000", byName["log.retention.ms"].Value);
        Assert.Equal("24", byName["log.retention.hours"].Value);
        Assert.Equal("1440", byName["log.retention.minutes"].Value);
        Assert.Equal("PLAINTEXT://0.0.0.0:9093", byName["listeners"].Value);
        Assert.Null(byName["advertised.listeners"].Value);
        Assert.True(byName["advertised.listeners"].IsDefault);
        Assert.True(byName["message.max.bytes"].IsDefault);
        Assert.Equal("1048588", byName["message.max.bytes"].Value);
        Assert.All(byName.Values, e => Assert.True(e.ReadOnly));
        Assert.All(byName.Values, e => Assert.False(e.IsSensitive));
    }

    [Fact]
    public void Every_definition_default_is_itself_valid()
    {
        foreach (var d in BrokerConfigDefinitions.All)
        {
            if (d.DefaultValue is not null)
                Assert.True(d.Rule.TryNormalize(d.DefaultValue, out _), d.Name);
        }
    }
}
