using Freshet.Broker.Topics;

namespace Freshet.Broker.Tests.Topics;

public sealed class TopicNameRulesTests
{
    [Theory]
    [InlineData("orders")]
    [InlineData("a")]
    [InlineData("with.dots_and-dashes09")]
    [InlineData("...")]
    public void Legal_names_pass(string name) => Assert.True(TopicNameRules.IsValid(name, out _));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("ünïcode")]
    public void Illegal_names_fail_with_a_reason(string name)
    {
        Assert.False(TopicNameRules.IsValid(name, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Names_longer_than_249_characters_fail()
    {
        Assert.True(TopicNameRules.IsValid(new string('a', 249), out _));
        Assert.False(TopicNameRules.IsValid(new string('a', 250), out var error));
        Assert.Contains("249", error);
    }
}
