using System.Runtime.InteropServices;
using Freshet.Broker.Configuration;
using Freshet.Server.Hosting;
using Freshet.Server.Logging;

namespace Freshet.Server.Cluster;

/// <summary>
/// Runs <c>freshet cluster up</c>: launches one <c>freshet serve</c> per node, prints where each listens, passes
/// their logs on, reports a node that dies, and stops them all in order on Ctrl+C or SIGTERM.
/// </summary>
internal static class ClusterSupervisor
{
    // Ctrl+C on a terminal reaches the whole process group, so the nodes usually have it already; a node that
    // has not logged its shutdown by then gets SIGTERM from here. A second signal to a node would force it.
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(ClusterUpArguments arguments, Func<int> freePort, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ClusterPlan plan;
        try
        {
            ConsoleLogging.ParseLevel(arguments.LogLevel);
            plan = ClusterPlan.Build(arguments, freePort);
        }
        catch (ConfigException e)
        {
            await stderr.WriteLineAsync($"freshet cluster up: {e.Message}");
            return ExitCodes.Usage;
        }

        using var shutdown = new ShutdownSignal();
        var nodes = new List<NodeProcess>(plan.Nodes.Count);
        try
        {
            foreach (var node in plan.Nodes)
                nodes.Add(NodeProcess.Start(node, plan.ServeArguments(node), stderr));
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"freshet cluster up: {e.Message}");
            foreach (var started in nodes)
            {
                started.Kill();
                started.Dispose();
            }

            return ExitCodes.Failure;
        }

        try
        {
            var processIds = new int[nodes.Count];
            for (var i = 0; i < nodes.Count; i++)
                processIds[i] = nodes[i].ProcessId;
            lock (stderr)
            {
                ClusterTable.Write(plan, processIds, stdout);
                stdout.Flush();
            }

            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(shutdown.Requested, cancellationToken);
            _ = AnnounceWhenListeningAsync(nodes, plan, stdout, stderr, stopping.Token);
            var unexpected = await WatchUntilStopAsync(nodes, stderr, stopping.Token);
            if (unexpected == nodes.Count)
            {
                await stderr.WriteLineAsync("freshet cluster up: every node has exited");
                return ExitCodes.Failure;
            }

            if (shutdown.Reason == PosixSignal.SIGINT.ToString())
                await Task.Delay(InterruptGrace, CancellationToken.None);
            var cleanExit = await StopAllAsync(nodes, stderr, shutdown.Forced);
            return cleanExit && unexpected == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Kill();
                node.Dispose();
            }
        }
    }

    private static async Task AnnounceWhenListeningAsync(List<NodeProcess> nodes, ClusterPlan plan, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var started = new Task[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
            started[i] = nodes[i].Started;
        try
        {
            await Task.WhenAll(started).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (stderr)
        {
            stdout.WriteLine($"all {nodes.Count} nodes are listening; clients use bootstrap.servers={plan.BootstrapServers}");
            stdout.Flush();
        }
    }

    /// <returns>How many nodes exited on their own before the stop.</returns>
    private static async Task<int> WatchUntilStopAsync(List<NodeProcess> nodes, TextWriter stderr, CancellationToken stopping)
    {
        var running = new List<NodeProcess>(nodes);
        var stopped = Task.Delay(Timeout.Infinite, stopping);
        var unexpected = 0;
        while (running.Count > 0)
        {
            var waits = new Task[running.Count + 1];
            waits[0] = stopped;
            for (var i = 0; i < running.Count; i++)
                waits[i + 1] = running[i].Exited;
            var first = await Task.WhenAny(waits);
            if (first == stopped)
                return unexpected;
            var index = Array.IndexOf(waits, first) - 1;
            var node = running[index];
            running.RemoveAt(index);
            unexpected++;
            var others = running.Count > 0 ? $"; {running.Count} other node(s) keep running" : string.Empty;
            await stderr.WriteLineAsync(
                $"freshet cluster up: node {node.Node.NodeId} (pid {node.ProcessId}) exited unexpectedly with code {node.ExitCode}{others}");
        }

        return unexpected;
    }

    /// <returns>True when every node that was still running stopped with exit code 0.</returns>
    private static async Task<bool> StopAllAsync(List<NodeProcess> nodes, TextWriter stderr, CancellationToken forced)
    {
        // Brokers stop first: their controlled shutdown needs an active controller to move their leaderships away.
        var brokersClean = await StopAsync(nodes, node => node.IsBroker, stderr, forced);
        var controllersClean = await StopAsync(nodes, node => !node.IsBroker, stderr, forced);
        return brokersClean && controllersClean;
    }

    private static async Task<bool> StopAsync(List<NodeProcess> nodes, Func<NodePlan, bool> which, TextWriter stderr, CancellationToken forced)
    {
        // Nodes that died earlier were reported then; the stop is about the ones still running now.
        var running = new List<NodeProcess>(nodes.Count);
        foreach (var node in nodes)
        {
            if (node.Exited.IsCompleted || !which(node.Node))
                continue;
            running.Add(node);
            if (!node.IsStopping)
                node.Terminate();
        }

        var clean = true;
        foreach (var node in running)
        {
            try
            {
                await node.Exited.WaitAsync(forced);
            }
            catch (OperationCanceledException)
            {
                foreach (var other in nodes)
                    other.Kill();
                await node.Exited;
            }

            clean &= node.ExitCode == ExitCodes.Ok;
            await stderr.WriteLineAsync($"freshet cluster up: node {node.Node.NodeId} stopped (exit code {node.ExitCode})");
        }

        return clean;
    }
}
