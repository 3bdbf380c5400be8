using System.Text.RegularExpressions;
using Freshet.Server.Logging;
using Microsoft.Extensions.Logging;

namespace Freshet.Server.Tests;

public partial class CompactConsoleLoggerTests
{
    [Fact]
    public void Lines_keep_their_order_and_format_and_are_all_written_by_dispose()
    {
        var output = new StringWriter();
        var factory = new LoggerFactory([], new LoggerFilterOptions { MinLevel = LogLevel.Information });
        factory.AddProvider(new CompactConsoleLoggerProvider(output));
        var logger = factory.CreateLogger("Freshet.Broker.Topics.TopicAdmin");

        for (var i = 0; i < 5000; i++)
            Log.Numbered(logger, i);
        Log.Failed(logger, new InvalidOperationException("boom"));
        Log.Hidden(logger);
        factory.Dispose();

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(LinePattern(), lines[0]);
        Assert.EndsWith("INF [TopicAdmin] line 0", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("INF [TopicAdmin] line 4999", lines[4999], StringComparison.Ordinal);
        Assert.EndsWith("ERR [TopicAdmin] it failed", lines[5000], StringComparison.Ordinal);
        Assert.Equal("System.InvalidOperationException: boom", lines[5001]);
        Assert.DoesNotContain(lines, l => l.Contains("hidden", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} INF \[TopicAdmin\] line 0$")]
    private static partial Regex LinePattern();

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "line {Number}")]
        public static partial void Numbered(ILogger logger, int number);

        [LoggerMessage(Level = LogLevel.Error, Message = "it failed")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Debug, Message = "hidden")]
        public static partial void Hidden(ILogger logger);
    }
}
