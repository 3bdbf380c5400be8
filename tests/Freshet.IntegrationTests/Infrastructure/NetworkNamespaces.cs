using System.Globalization;
using System.Text.RegularExpressions;

namespace Freshet.IntegrationTests.Infrastructure;

/// <summary>
/// One Linux network namespace per node, each joined by a veth pair to a bridge in the test's namespace: nodes on
/// 10.231.X.1..n, the bridge (and so the test process) on 10.231.X.254, X unused on this host. Taking a node's veth
/// down cuts it off from the other nodes and from the test's clients alike, as a pulled cable would; packets are
/// dropped, not refused. Names carry the creating process's id, so a run that was killed before it cleaned up is
/// swept by the next one. Needs root and iproute2; <see cref="UnavailableReason"/> says why not when they are missing.
/// </summary>
public sealed partial class NetworkNamespaces : INodeNetwork, IDisposable
{
    private const int KafkaPort = 9092;
    private const int ControllerPort = 9093;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);
    private static readonly Lazy<string?> Unavailable = new(Probe);
    private static int _runs;

    private readonly string _tag;
    private readonly int _subnet;
    private readonly int _nodes;

    private NetworkNamespaces(string tag, int subnet, int nodes)
    {
        _tag = tag;
        _subnet = subnet;
        _nodes = nodes;
    }

    /// <summary>Why namespaces cannot be used here (not Linux, not root, no iproute2), or null when they can.</summary>
    public static string? UnavailableReason => Unavailable.Value;

    private static int ProcessId => Environment.ProcessId;

    private string Bridge => $"frb{_tag}";

    public static async Task<NetworkNamespaces> CreateAsync(int nodes)
    {
        await SweepLeftoversAsync();
        var tag = $"{ProcessId}r{Interlocked.Increment(ref _runs) % 10}";
        var network = new NetworkNamespaces(tag, await FreeSubnetAsync(), nodes);
        try
        {
            await network.BuildAsync();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    public NodeAddress Address(int nodeId) => new(NodeHost(nodeId), KafkaPort, ControllerPort);

    public IReadOnlyList<string> LaunchPrefix(int nodeId) => ["ip", "netns", "exec", Namespace(nodeId)];

    public string NodeHost(int nodeId) => $"10.231.{_subnet}.{nodeId}";

    /// <summary>Cuts the node off from every other node and from the test process.</summary>
    public Task CutAsync(int nodeId) => IpAsync("link", "set", HostVeth(nodeId), "down");

    public Task HealAsync(int nodeId) => IpAsync("link", "set", HostVeth(nodeId), "up");

    /// <summary>Runs a command inside the node's namespace, e.g. a client that can reach only that node.</summary>
    public Task<ProcessResult> RunInAsync(int nodeId, string command, IEnumerable<string> arguments, TimeSpan timeout, string? standardInput = null) =>
        ProcessRunner.RunAsync("ip", ["netns", "exec", Namespace(nodeId), command, .. arguments], timeout, standardInput);

    public void Dispose()
    {
        // Deleting one end of a veth pair deletes both; the namespaces go once their processes have exited.
        for (var node = 1; node <= _nodes; node++)
            TryIp("link", "del", HostVeth(node));
        TryIp("link", "del", Bridge);
        for (var node = 1; node <= _nodes; node++)
            TryIp("netns", "del", Namespace(node));
    }

    private string Namespace(int nodeId) => $"frns-{_tag}-{nodeId}";

    private string HostVeth(int nodeId) => $"frv{_tag}n{nodeId}";

    private string PeerVeth(int nodeId) => $"frp{_tag}n{nodeId}";

    private async Task BuildAsync()
    {
        await IpAsync("link", "add", Bridge, "type", "bridge");
        await IpAsync("addr", "add", $"10.231.{_subnet}.254/24", "dev", Bridge);
        await IpAsync("link", "set", Bridge, "up");
        for (var node = 1; node <= _nodes; node++)
        {
            var ns = Namespace(node);
            await IpAsync("netns", "add", ns);
            await IpAsync("link", "add", HostVeth(node), "type", "veth", "peer", "name", PeerVeth(node));
            await IpAsync("link", "set", PeerVeth(node), "netns", ns);
            await IpAsync("link", "set", HostVeth(node), "master", Bridge, "up");
            await IpAsync("-n", ns, "link", "set", "lo", "up");
            await IpAsync("-n", ns, "link", "set", PeerVeth(node), "name", "eth0");
            await IpAsync("-n", ns, "addr", "add", NodeHost(node) + "/24", "dev", "eth0");
            await IpAsync("-n", ns, "link", "set", "eth0", "up");
        }
    }

    /// <summary>A third octet no address of this host uses yet, starting from one derived from the process id.</summary>
    private static async Task<int> FreeSubnetAsync()
    {
        var addresses = (await ProcessRunner.RunAsync("ip", ["-o", "-4", "addr", "show"], CommandTimeout)).StandardOutput;
        for (var i = 0; i < 250; i++)
        {
            var candidate = (ProcessId + i) % 250 + 1;
            if (!addresses.Contains($" 10.231.{candidate}.", StringComparison.Ordinal))
                return candidate;
        }
        throw new InvalidOperationException("No free 10.231.X.0/24 subnet on this host.");
    }

    /// <summary>Deletes namespaces and links of earlier runs whose process no longer exists.</summary>
    private static async Task SweepLeftoversAsync()
    {
        var namespaces = (await ProcessRunner.RunAsync("ip", ["netns", "list"], CommandTimeout)).StandardOutput;
        foreach (Match match in OwnNamespace().Matches(namespaces))
        {
            if (!IsAlive(match.Groups["pid"].Value))
                TryIp("netns", "del", match.Value);
        }
        var links = (await ProcessRunner.RunAsync("ip", ["-o", "link", "show"], CommandTimeout)).StandardOutput;
        foreach (Match match in OwnLink().Matches(links))
        {
            if (!IsAlive(match.Groups["pid"].Value))
                TryIp("link", "del", match.Groups["name"].Value);
        }
    }

    private static bool IsAlive(string pid) =>
        int.Parse(pid, CultureInfo.InvariantCulture) == ProcessId || Directory.Exists(Path.Combine("/proc", pid));

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
            return "network namespaces need Linux";
        var tag = $"{ProcessId}rp";
        try
        {
            var ns = ProcessRunner.RunAsync("ip", ["netns", "add", $"frns-{tag}-0"], CommandTimeout).GetAwaiter().GetResult();
            if (ns.ExitCode != 0)
                return "cannot create a network namespace (root and iproute2 are needed): " + ns.StandardError.Trim();
            var bridge = ProcessRunner.RunAsync("ip", ["link", "add", $"frb{tag}", "type", "bridge"], CommandTimeout).GetAwaiter().GetResult();
            if (bridge.ExitCode != 0)
                return "cannot create a bridge: " + bridge.StandardError.Trim();
            return null;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return "the ip command (iproute2) is not available: " + e.Message;
        }
        finally
        {
            TryIp("link", "del", $"frb{tag}");
            TryIp("netns", "del", $"frns-{tag}-0");
        }
    }

    private static async Task IpAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("ip", arguments, CommandTimeout);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed: {result.StandardError.Trim()}");
    }

    /// <summary>Cleanup: whatever is already gone stays gone.</summary>
    private static void TryIp(params string[] arguments)
    {
        try
        {
            ProcessRunner.RunAsync("ip", arguments, CommandTimeout).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or TimeoutException)
        {
            // Nothing to clean up without the ip command.
        }
    }

    [GeneratedRegex(@"^frns-(?<pid>[0-9]+)r[0-9p]+-[0-9]+", RegexOptions.Multiline)]
    private static partial Regex OwnNamespace();

    [GeneratedRegex(@"^[0-9]+: (?<name>fr[bvp](?<pid>[0-9]+)r[0-9p]+(n[0-9]+)?)[@:]", RegexOptions.Multiline)]
    private static partial Regex OwnLink();
}
