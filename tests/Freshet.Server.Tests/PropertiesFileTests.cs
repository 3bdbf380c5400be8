using Freshet.Broker.Configuration;

namespace Freshet.Server.Tests;

public class PropertiesFileTests
{
    private static Dictionary<string, string> Parse(string text) =>
        PropertiesFile.Parse(text).ToDictionary(kv => kv.Key, kv => kv.Value);

    [Fact]
    public void Comments_and_blank_lines_are_skipped()
    {
        var result = PropertiesFile.Parse("# a comment\n! another\n\n   \n  # indented comment\nnode.id=3\n");
        Assert.Equal([new KeyValuePair<string, string>("node.id", "3")], result);
    }

    [Theory]
    [InlineData("key=value")]
    [InlineData("key = value")]
    [InlineData("key:value")]
    [InlineData("key : value")]
    [InlineData("key value")]
    [InlineData("key\t  value")]
    [InlineData("   key=value   ")]
    public void Equals_colon_and_whitespace_separate_key_and_value(string line)
    {
        Assert.Equal("value", Parse(line)["key"]);
    }

    [Fact]
    public void Only_the_first_separator_splits()
    {
        var result = Parse("listeners=PLAINTEXT://host:9092\nurl: http://x=y");
        Assert.Equal("PLAINTEXT://host:9092", result["listeners"]);
        Assert.Equal("http://x=y", result["url"]);
    }

    [Fact]
    public void Key_without_value_is_empty()
    {
        Assert.Equal(string.Empty, Parse("lonely")["lonely"]);
        Assert.Equal(string.Empty, Parse("empty=")["empty"]);
    }

    [Fact]
    public void Backslash_continues_a_line_and_drops_leading_whitespace_of_the_next()
    {
        var result = Parse("log.dirs=/a,\\\n    /b,\\\r\n\t/c\nnext=1");
        Assert.Equal("/a,/b,/c", result["log.dirs"]);
        Assert.Equal("1", result["next"]);
    }

    [Fact]
    public void Escaped_backslash_at_end_does_not_continue()
    {
        var result = Parse("path=C:\\\\\nnext=1");
        Assert.Equal("C:\\", result["path"]);
        Assert.Equal("1", result["next"]);
    }

    [Fact]
    public void Comment_lines_do_not_continue()
    {
        var result = Parse("# comment \\\nkey=v");
        Assert.Equal("v", result["key"]);
    }

    [Fact]
    public void Unicode_and_character_escapes_are_decoded()
    {
        var result = Parse("greeting=caf\\u00e9\\tend\nmy\\ key=x\nk\\=ey=y\n");
        Assert.Equal("café\tend", result["greeting"]);
        Assert.Equal("x", result["my key"]);
        Assert.Equal("y", result["k=ey"]);
    }

    [Fact]
    public void Malformed_unicode_escape_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => PropertiesFile.Parse("k=\\u12"));
    }

    [Fact]
    public void Keys_keep_file_order_and_repeats()
    {
        var result = PropertiesFile.Parse("b=1\na=2\nb=3");
        Assert.Equal(["b", "a", "b"], result.Select(kv => kv.Key));
    }
}
