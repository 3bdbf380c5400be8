using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Freshet.Server.Logging;

/// <summary>
/// One line per event: <c>2025-06-01 12:00:00.123 INF [ServerRunner] message</c>, with the
/// exception (if any) on the lines below. The category is shortened to its last segment.
/// </summary>
internal sealed class CompactConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "freshet-compact";

    public CompactConsoleFormatter()
        : base(FormatterName)
    {
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
            return;
        var category = logEntry.Category;
        var dot = category.LastIndexOf('.');
        textWriter.Write(DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss.fff "));
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(" [");
        textWriter.Write(dot >= 0 ? category.AsSpan(dot + 1) : category);
        textWriter.Write("] ");
        textWriter.WriteLine(message);
        if (logEntry.Exception is not null)
            textWriter.WriteLine(logEntry.Exception.ToString());
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRC",
        LogLevel.Debug => "DBG",
        LogLevel.Information => "INF",
        LogLevel.Warning => "WRN",
        LogLevel.Error => "ERR",
        LogLevel.Critical => "CRT",
        _ => "   ",
    };
}
