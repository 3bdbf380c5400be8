using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Tests.Topics;

public sealed class TopicConfigEditsTests
{
    private static readonly Dictionary<string, string> Effective = new(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = "delete",
        ["retention.ms"] = "604800000",
    };

    [Fact]
    public void Set_and_delete_change_only_the_named_overrides()
    {
        var current = new Dictionary<string, string> { ["retention.ms"] = "1000", ["segment.ms"] = "5000" };
        var result = TopicConfigEdits.Apply(current, Effective, [
            new ConfigEdit("retention.ms", ConfigOperation.Delete, null),
            new ConfigEdit("max.message.bytes", ConfigOperation.Set, " 2048 "),
        ]);
        Assert.Equal(ErrorCode.None, result.Error);
        Assert.Equal(new Dictionary<string, string> { ["segment.ms"] = "5000", ["max.message.bytes"] = "2048" }, result.Overrides);
    }

    [Fact]
    public void Append_starts_from_the_effective_value_and_skips_items_already_there()
    {
        var result = TopicConfigEdits.Apply(new Dictionary<string, string>(), Effective, [new ConfigEdit("cleanup.policy", ConfigOperation.Append, "compact,delete")]);
        Assert.Equal(ErrorCode.None, result.Error);
        Assert.Equal("delete,compact", result.Overrides["cleanup.policy"]);
    }

    [Fact]
    public void Subtracting_every_item_leaves_an_invalid_empty_list()
    {
        var result = TopicConfigEdits.Apply(new Dictionary<string, string>(), Effective, [new ConfigEdit("cleanup.policy", ConfigOperation.Subtract, "delete")]);
        Assert.Equal(ErrorCode.InvalidConfig, result.Error);
    }

    [Theory]
    [InlineData("retention.ms", 2, "1", ErrorCode.InvalidConfig)]
    [InlineData("retention.ms", 0, "-2", ErrorCode.InvalidConfig)]
    [InlineData("no.such.config", 0, "1", ErrorCode.InvalidConfig)]
    [InlineData("retention.ms", 0, null, ErrorCode.InvalidRequest)]
    [InlineData("retention.ms", 9, "1", ErrorCode.InvalidRequest)]
    public void Bad_edits_are_refused_with_kafka_error_codes(string name, sbyte operation, string? value, ErrorCode expected)
    {
        var result = TopicConfigEdits.Apply(new Dictionary<string, string>(), Effective, [new ConfigEdit(name, (ConfigOperation)operation, value)]);
        Assert.Equal(expected, result.Error);
        Assert.False(string.IsNullOrEmpty(result.Message));
    }

    [Fact]
    public void The_same_name_twice_is_an_invalid_request()
    {
        var result = TopicConfigEdits.Apply(new Dictionary<string, string>(), Effective, [
            new ConfigEdit("retention.ms", ConfigOperation.Set, "1"),
            new ConfigEdit("retention.ms", ConfigOperation.Delete, null),
        ]);
        Assert.Equal(ErrorCode.InvalidRequest, result.Error);
    }

    [Fact]
    public void Replace_keeps_only_what_is_given()
    {
        var result = TopicConfigEdits.Replace([("segment.bytes", "1048576")]);
        Assert.Equal(ErrorCode.None, result.Error);
        Assert.Equal(new Dictionary<string, string> { ["segment.bytes"] = "1048576" }, result.Overrides);
        Assert.Equal(ErrorCode.InvalidConfig, TopicConfigEdits.Replace([("segment.bytes", "1")]).Error);
    }
}
