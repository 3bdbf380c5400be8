using System.Diagnostics;

namespace Freshet.Server.Cluster;

/// <summary>
/// One <c>freshet serve</c> child of <c>cluster up</c>. Its output is passed on line by line with the node's
/// name in front, and watched for the lines that say it has started and that it is shutting down.
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly TextWriter _output;
    private readonly string _prefix;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeProcess(NodePlan node, Process process, TextWriter output)
    {
        Node = node;
        _process = process;
        _output = output;
        _prefix = $"node-{node.NodeId} | ";
        ProcessId = process.Id;
        Exited = process.WaitForExitAsync();
    }

    public NodePlan Node { get; }

    public int ProcessId { get; }

    /// <summary>Completes when the node logs that its listener is open.</summary>
    public Task Started => _started.Task;

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited { get; }

    /// <summary>True once the node has logged that it is shutting down, so another signal would force it.</summary>
    public bool IsStopping { get; private set; }

    public int ExitCode => _process.ExitCode;

    public static NodeProcess Start(NodePlan node, IReadOnlyList<string> serveArguments, TextWriter output)
    {
        Directory.CreateDirectory(node.DataDir);
        var process = Process.Start(SelfLauncher.StartInfo(serveArguments))
            ?? throw new InvalidOperationException($"Could not start node {node.NodeId}.");
        var child = new NodeProcess(node, process, output);
        process.OutputDataReceived += (_, e) => child.Forward(e.Data);
        process.ErrorDataReceived += (_, e) => child.Forward(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Asks for an orderly stop, as Ctrl+C on the node alone would.</summary>
    public void Terminate()
    {
        if (!_process.HasExited)
            PosixSignals.Send(ProcessId, PosixSignals.SigTerm);
    }

    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill();
    }

    public void Dispose() => _process.Dispose();

    private void Forward(string? line)
    {
        if (line is null)
            return;
        if (line.Contains("Freshet started in ", StringComparison.Ordinal))
            _started.TrySetResult();
        else if (line.Contains("Shutting down (", StringComparison.Ordinal))
            IsStopping = true;
        lock (_output)
        {
            _output.Write(_prefix);
            _output.WriteLine(line);
        }
    }
}
