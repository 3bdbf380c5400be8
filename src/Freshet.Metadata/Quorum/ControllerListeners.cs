using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;

namespace Freshet.Metadata.Quorum;

/// <summary>A controller's Kafka-protocol listener, where clients and brokers reach it.</summary>
public sealed record ControllerListener(int NodeId, string Host, int Port);

/// <summary>
/// The voters' Kafka-protocol listeners, learnt through the quorum itself: each voter publishes its own in the Raft
/// member metadata, as a Kafka controller registers its endpoints (ControllerRegistration, KIP-919). A voter that never
/// answered is not listed; one learnt once stays listed, as a registration does while its controller is down.
/// </summary>
internal sealed class ControllerListeners(RaftCluster cluster, IReadOnlyDictionary<EndPoint, int> idsByEndPoint, TimeSpan requestTimeout)
{
    /// <summary>The member-metadata key holding <c>host:port</c>.</summary>
    public const string MetadataKey = "freshet.listener";

    private readonly ConcurrentDictionary<int, ControllerListener> _known = new();

    public static string Format(string host, int port) => host + ":" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The listeners of every voter known so far, by node id; asks the voters not heard from yet, all at once.</summary>
    public async Task<IReadOnlyList<ControllerListener>> DescribeAsync(CancellationToken token)
    {
        List<Task>? asking = null;
        foreach (var member in cluster.Members)
        {
            if (idsByEndPoint.TryGetValue(member.EndPoint, out var id) && !_known.ContainsKey(id))
                (asking ??= []).Add(LearnAsync(member, id, token));
        }
        if (asking is not null)
            await Task.WhenAll(asking).ConfigureAwait(false);
        var listeners = new List<ControllerListener>(_known.Values);
        listeners.Sort((a, b) => a.NodeId.CompareTo(b.NodeId));
        return listeners;
    }

    private async Task LearnAsync(RaftClusterMember member, int id, CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(requestTimeout);
        try
        {
            var metadata = await member.GetMetadataAsync(refresh: false, timeout.Token).ConfigureAwait(false);
            if (metadata.TryGetValue(MetadataKey, out var listener) && Parse(id, listener) is { } parsed)
                _known[id] = parsed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            // Unreachable now: listed once it answers.
        }
    }

    private static ControllerListener? Parse(int id, string listener)
    {
        var colon = listener.LastIndexOf(':');
        return colon > 0 && int.TryParse(listener.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? new ControllerListener(id, listener[..colon], port)
            : null;
    }
}
