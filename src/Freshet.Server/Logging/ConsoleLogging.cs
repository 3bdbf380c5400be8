using Freshet.Broker.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Freshet.Server.Logging;

internal static class ConsoleLogging
{
    public static ILoggerFactory Create(LogLevel minimumLevel) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimumLevel)
            .AddConsole(o => o.FormatterName = CompactConsoleFormatter.FormatterName)
            .AddConsoleFormatter<CompactConsoleFormatter, ConsoleFormatterOptions>());

    /// <exception cref="ConfigException">Not a level name.</exception>
    public static LogLevel ParseLevel(string value) => value.Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "information" or "info" => LogLevel.Information,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        "none" => LogLevel.None,
        _ => throw new ConfigException("--log-level", value, "expected trace, debug, information, warning, error, critical or none"),
    };
}
