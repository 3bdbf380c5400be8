using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Freshet.Server.Logging;

/// <summary>
/// One line per event: <c>2025-06-01 12:00:00.123 INF [ServerRunner] message</c>, with the
/// exception (if any) on the lines below. The category is shortened to its last segment.
/// </summary>
internal static class CompactLine
{
    public static string Format(DateTime time, LogLevel level, string shortCategory, string? message, Exception? exception)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{time:yyyy-MM-dd HH:mm:ss.fff} {Level(level)} [{shortCategory}] {message}");
        return exception is null ? line : line + Environment.NewLine + exception;
    }

    public static string ShortCategory(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot >= 0 ? category[(dot + 1)..] : category;
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
