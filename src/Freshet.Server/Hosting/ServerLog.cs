using Microsoft.Extensions.Logging;

namespace Freshet.Server.Hosting;

internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Freshet {Version} starting (node.id {NodeId}, pid {ProcessId})")]
    public static partial void Starting(ILogger logger, string version, int nodeId, int processId);

    [LoggerMessage(2, LogLevel.Information, "config {Name} = {Value}")]
    public static partial void EffectiveSetting(ILogger logger, string name, string? value);

    [LoggerMessage(3, LogLevel.Warning, "The configuration '{Name}' was supplied but isn't a known config; it is ignored")]
    public static partial void UnknownSetting(ILogger logger, string name);

    [LoggerMessage(4, LogLevel.Information, "Freshet started in {ElapsedMs} ms, listening on {EndPoint} (advertised as {BootstrapServers})")]
    public static partial void Started(ILogger logger, long elapsedMs, string endPoint, string bootstrapServers);

    [LoggerMessage(5, LogLevel.Information, "Shutting down ({Reason})")]
    public static partial void Stopping(ILogger logger, string reason);

    [LoggerMessage(6, LogLevel.Information, "Freshet stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(7, LogLevel.Critical, "Freshet failed to start")]
    public static partial void StartFailed(ILogger logger, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "All other settings have their defaults")]
    public static partial void OthersDefault(ILogger logger);
}
