using Freshet.Metadata.Quorum;
using Freshet.Metadata.Records;

namespace Freshet.Metadata.Tests.Quorum;

/// <summary>N controller nodes on loopback, each with its own temp metadata dir, started and stopped by id.</summary>
internal sealed class QuorumHarness : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly string _root = Directory.CreateTempSubdirectory("freshet-quorum-").FullName;
    private readonly Dictionary<int, ControllerQuorum> _running = [];
    private readonly int _snapshotEveryEntries;

    public QuorumHarness(int nodes, int snapshotEveryEntries = 1000)
    {
        _snapshotEveryEntries = snapshotEveryEntries;
        var voters = new List<QuorumVoter>();
        for (var id = 1; id <= nodes; id++)
            voters.Add(new QuorumVoter(id, "127.0.0.1", ListenPorts.TakeFree()));
        Voters = voters;
    }

    public IReadOnlyList<QuorumVoter> Voters { get; }

    public IEnumerable<ControllerQuorum> Running => _running.Values;

    public string MetadataDir(int id) => Path.Combine(_root, $"node-{id}");

    public async Task<ControllerQuorum> StartAsync(int id)
    {
        var node = await ControllerQuorum.StartAsync(new ControllerQuorumOptions
        {
            NodeId = id,
            Voters = Voters,
            MetadataLogDir = MetadataDir(id),
            // Long enough that a loaded test machine's pauses (three nodes share one process and its thread pool) do
            // not start elections the tests did not ask for; a quorum of one elects itself whatever the timeout.
            ElectionTimeoutMs = Voters.Count == 1 ? 400 : 1500,
            RequestTimeoutMs = 3000,
            SnapshotEveryEntries = _snapshotEveryEntries,
        });
        _running[id] = node;
        return node;
    }

    public async Task StartAllAsync()
    {
        foreach (var voter in Voters)
            await StartAsync(voter.Id);
    }

    public async Task StopAsync(int id)
    {
        if (_running.Remove(id, out var node))
            await node.DisposeAsync();
    }

    /// <summary>Polls until one running node is leader and every running node knows it.</summary>
    public async Task<ControllerQuorum> WaitForLeaderAsync()
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var node in _running.Values)
            {
                if (node.IsLeader && _running.Values.All(n => n.LeaderId == node.NodeId))
                    return node;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("No controller leader was elected.");
    }

    /// <summary>Appends on the current leader, retrying if leadership moves under the append.</summary>
    public async Task<long> AppendAsync(IReadOnlyList<MetadataRecord> records)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var leader = await WaitForLeaderAsync();
            try
            {
                using var timeout = new CancellationTokenSource(Deadline);
                return await leader.AppendAsync(records, timeout.Token);
            }
            catch (NotControllerException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _running.Keys.ToList())
            await StopAsync(id);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
