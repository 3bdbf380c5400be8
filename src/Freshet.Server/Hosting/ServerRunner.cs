using System.Diagnostics;
using System.Reflection;
using Freshet.Broker.Cluster;
using Freshet.Broker.Configuration;
using Freshet.Broker.Hosting;
using Freshet.Server.Cli;
using Freshet.Server.Configuration;
using Freshet.Server.Logging;
using Microsoft.Extensions.Logging;

namespace Freshet.Server.Hosting;

/// <summary>
/// Runs one broker for <c>freshet serve</c>: configuration, logging, start, wait for a signal,
/// orderly stop. Configuration errors go to stderr as one line and exit 2, before anything starts.
/// </summary>
internal static class ServerRunner
{
    public static async Task<int> RunAsync(ServeArguments args, TextWriter stderr, CancellationToken cancellationToken)
    {
        BrokerOptions options;
        IReadOnlyList<string> unknownKeys;
        LogLevel level;
        try
        {
            level = ConsoleLogging.ParseLevel(args.LogLevel);
            var settings = ServerSettings.Collect(args, Environment.GetEnvironmentVariables());
            options = BrokerConfigLoader.Load(settings, out unknownKeys);
            RoleSettings.Validate(options);
        }
        catch (ConfigException e)
        {
            await stderr.WriteLineAsync($"freshet: {e.Message}");
            return ExitCodes.Usage;
        }

        using var loggerFactory = ConsoleLogging.Create(level);
        var logger = loggerFactory.CreateLogger(typeof(ServerRunner).FullName!);
        using var shutdown = new ShutdownSignal();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(shutdown.Requested, cancellationToken);

        ServerLog.Starting(logger, Version, options.NodeId, Environment.ProcessId);
        LogEffectiveConfiguration(logger, options, unknownKeys);

        BrokerHost host;
        try
        {
            host = await BrokerHost.StartAsync(options, loggerFactory, stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            ServerLog.Stopped(logger);
            return ExitCodes.Ok;
        }
        catch (Exception e)
        {
            ServerLog.StartFailed(logger, e);
            return ExitCodes.Failure;
        }

        await using (host)
        {
            var elapsed = (long)(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
            ServerLog.Started(logger, elapsed, ListenerAddress.Format(host.BoundEndPoint.Address.ToString(), host.BoundEndPoint.Port), host.BootstrapServers);

            try
            {
                await Task.Delay(Timeout.Infinite, stopping.Token);
            }
            catch (OperationCanceledException)
            {
            }

            ServerLog.Stopping(logger, shutdown.Requested.IsCancellationRequested ? shutdown.Reason : "cancelled");
            await host.StopAsync(shutdown.Forced);
        }

        ServerLog.Stopped(logger);
        return ExitCodes.Ok;
    }

    private static void LogEffectiveConfiguration(ILogger logger, BrokerOptions options, IReadOnlyList<string> unknownKeys)
    {
        foreach (var name in unknownKeys)
            ServerLog.UnknownSetting(logger, name);
        foreach (var entry in BrokerConfigDefinitions.Describe(options))
        {
            if (entry.IsDefault || IsUnusedSynonym(entry))
                continue;
            ServerLog.EffectiveSetting(logger, entry.Name, entry.IsSensitive ? "[hidden]" : entry.Value);
        }

        ServerLog.OthersDefault(logger);
    }

    // log.retention.hours and friends restate the primary setting; logging both would repeat it.
    private static bool IsUnusedSynonym(BrokerConfigEntry entry) =>
        BrokerConfigDefinitions.TryGet(entry.Name, out var definition) && definition.SynonymOf is not null;

    private static string Version =>
        typeof(ServerRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
