using Freshet.Broker.Configuration;

namespace Freshet.Server.Tests;

public class TopicConfigDefinitionsTests
{
    [Theory]
    [InlineData("cleanup.policy", "compact")]
    [InlineData("cleanup.policy", "compact,delete")]
    [InlineData("cleanup.policy", "delete, compact")]
    [InlineData("retention.ms", "-1")]
    [InlineData("retention.bytes", "1073741824")]
    [InlineData("segment.bytes", "1048576")]
    [InlineData("segment.ms", "60000")]
    [InlineData("segment.index.bytes", "4096")]
    [InlineData("index.interval.bytes", "0")]
    [InlineData("max.message.bytes", "64")]
    [InlineData("message.timestamp.type", "LogAppendTime")]
    [InlineData("min.insync.replicas", "2")]
    [InlineData("compression.type", "lz4")]
    [InlineData("flush.messages", "1")]
    [InlineData("flush.ms", "1000")]
    [InlineData("delete.retention.ms", "0")]
    [InlineData("min.compaction.lag.ms", "0")]
    [InlineData("max.compaction.lag.ms", "1")]
    [InlineData("min.cleanable.dirty.ratio", "0.1")]
    [InlineData("unclean.leader.election.enable", "true")]
    [InlineData("message.timestamp.before.max.ms", "1000")]
    [InlineData("message.timestamp.after.max.ms", "1000")]
    public void Valid_topic_settings_pass(string name, string value)
    {
        Assert.True(TopicConfigDefinitions.TryValidate(name, value, out var error), error);
        Assert.Equal(string.Empty, error);
    }

    [Theory]
    [InlineData("retention.ms", "forever", "invalid value for retention.ms: 'forever' (expected an integer ≥ -1)")]
    [InlineData("retention.ms", null, "invalid value for retention.ms: '' (expected an integer ≥ -1)")]
    [InlineData("cleanup.policy", "archive", "invalid value for cleanup.policy: 'archive' (expected a comma-separated list of delete, compact)")]
    [InlineData("segment.bytes", "10", "invalid value for segment.bytes: '10' (expected an integer ≥ 14)")]
    [InlineData("min.insync.replicas", "0", "invalid value for min.insync.replicas: '0' (expected an integer ≥ 1)")]
    [InlineData("min.cleanable.dirty.ratio", "2", "invalid value for min.cleanable.dirty.ratio: '2' (expected a number between 0 and 1)")]
    [InlineData("message.timestamp.type", "Now", "invalid value for message.timestamp.type: 'Now' (expected one of CreateTime, LogAppendTime)")]
    [InlineData("compression.type", "brotli", "invalid value for compression.type: 'brotli' (expected one of uncompressed, zstd, lz4, snappy, gzip, producer)")]
    [InlineData("unclean.leader.election.enable", "maybe", "invalid value for unclean.leader.election.enable: 'maybe' (expected true or false)")]
    [InlineData("retention.hours", "1", "unknown topic config retention.hours")]
    public void Invalid_topic_settings_give_an_error_message(string name, string? value, string message)
    {
        Assert.False(TopicConfigDefinitions.TryValidate(name, value, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Every_topic_setting_has_its_kafka_broker_synonym()
    {
        var synonyms = TopicConfigDefinitions.All.ToDictionary(d => d.Name, d => d.BrokerSynonym);
        Assert.Equal("log.retention.ms", synonyms["retention.ms"]);
        Assert.Equal("log.segment.bytes", synonyms["segment.bytes"]);
        Assert.Equal("message.max.bytes", synonyms["max.message.bytes"]);
        Assert.Equal("log.roll.ms", synonyms["segment.ms"]);
        Assert.Equal("log.cleanup.policy", synonyms["cleanup.policy"]);
        Assert.Equal("log.index.size.max.bytes", synonyms["segment.index.bytes"]);
        Assert.All(TopicConfigDefinitions.All, d => Assert.NotNull(d.DefaultValue));
    }

    [Fact]
    public void Effective_takes_overrides_then_broker_settings()
    {
        var broker = BrokerConfigLoader.Load([new("log.retention.hours", "1"), new("message.max.bytes", "2000")]);
        var effective = TopicConfigDefinitions.Effective(broker, new Dictionary<string, string> { ["cleanup.policy"] = "compact" });

        Assert.Equal("compact", effective["cleanup.policy"]);
        Assert.Equal("3600000", effective["retention.ms"]);
        Assert.Equal("2000", effective["max.message.bytes"]);
        Assert.Equal("1073741824", effective["segment.bytes"]);
        Assert.Equal(TopicConfigDefinitions.All.Count, effective.Count);
    }

    [Fact]
    public void Describe_reports_where_each_value_comes_from()
    {
        var broker = BrokerConfigLoader.Load([new("log.retention.ms", "1000")]);
        var entries = TopicConfigDefinitions.Describe(broker, new Dictionary<string, string> { ["segment.bytes"] = "1048576" })
            .ToDictionary(e => e.Name);

        Assert.Equal(("1048576", TopicConfigSource.TopicOverride), (entries["segment.bytes"].Value, entries["segment.bytes"].Source));
        Assert.Equal(("1000", TopicConfigSource.StaticBrokerDefault), (entries["retention.ms"].Value, entries["retention.ms"].Source));
        Assert.Equal(("delete", TopicConfigSource.Default), (entries["cleanup.policy"].Value, entries["cleanup.policy"].Source));
        Assert.Equal(("1048588", TopicConfigSource.Default), (entries["max.message.bytes"].Value, entries["max.message.bytes"].Source));
    }
}
