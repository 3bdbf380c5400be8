using Freshet.Broker.Configuration;
using Microsoft.Extensions.Logging;

namespace Freshet.Server.Logging;

internal static class ConsoleLogging
{
    /// <summary>A logger factory writing compact lines to stdout, built without a dependency-injection container.</summary>
    public static ILoggerFactory Create(LogLevel minimumLevel)
    {
        var factory = new LoggerFactory([], new LoggerFilterOptions { MinLevel = minimumLevel });
        // Added rather than passed to the constructor, so that disposing the factory drains and stops the writer.
        factory.AddProvider(new CompactConsoleLoggerProvider(Console.Out));
        return factory;
    }

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
