using System.Diagnostics;
using Freshet.Broker.Configuration;
using Freshet.Broker.Replication;
using Freshet.Broker.Replication.Selection;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Freshet.Storage;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Fetch: a consumer reads whole batches up to the high watermark (read_uncommitted) or the last stable
/// offset (read_committed, with the aborted transactions of the range); a follower reads from its leader
/// up to the log end, and its fetch offset moves the high watermark and its place in the ISR. Byte limits
/// apply per partition and per request. When less than min_bytes is available the request waits, up to
/// max_wait_ms, and is woken by the next high watermark move (consumers) or append (followers) on any of
/// its partitions.
/// Consumers that send a rack (version 11 and later) may read from a follower, up to the high watermark the
/// follower learnt from its leader (KIP-392); with <c>replica.selector.class</c> set, the leader answers such
/// a consumer with the replica to read from instead of records.
/// Fetch sessions (KIP-227) are declined by answering session id 0, so clients send full
/// fetch requests, which Kafka allows.
/// </summary>
/// <param name="readReplicas">The leader's choice of read replica; null when no selector is configured.</param>
/// <param name="metadataLog">On a node with a controller seat: serves broker-only nodes' fetches of the metadata log.</param>
internal sealed class FetchHandler(
    TopicCatalog catalog, ReplicaManager replicas, BrokerOptions options, PreferredReadReplicas? readReplicas = null, MetadataLogFetchHandler? metadataLog = null)
    : ApiHandler<FetchRequest>
{
    private const short FirstVersionWithRackId = 11;
    private const short FirstVersionWithTopicIds = 13;
    private const short FirstVersionWithLastFetchedEpoch = 12;
    private const short FirstVersionWithReplicaState = 15;
    private const byte ReadCommitted = 1;

    public override ApiKey Key => ApiKey.Fetch;

    private bool FollowerReadsEnabled => readReplicas is { Enabled: true };

    // Versions 0-3 expect magic 0/1 message sets; the log holds v2 batches and Freshet does
    // not down-convert, so those versions are not offered (Kafka 4 dropped them as well).
    public override short MinVersion => 4;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, FetchRequest request)
    {
        if (request.SessionId != 0)
        {
            return new FetchResponse { ErrorCode = (short)ErrorCode.FetchSessionIdNotFound };
        }
        if (metadataLog is not null && MetadataLogFetchHandler.IsMetadataLogFetch(context, request))
        {
            return await metadataLog.ServeAsync(context, request).ConfigureAwait(false);
        }
        var useTopicIds = context.ApiVersion >= FirstVersionWithTopicIds;
        // A broker's replica fetch names its id; consumers send -1.
        var replicaId = context.ApiVersion >= FirstVersionWithReplicaState ? request.ReplicaState.ReplicaId : request.ReplicaId;
        var targets = Resolve(context, request, useTopicIds, replicaId);
        var maxBytes = Math.Min(context.ApiVersion >= 3 ? request.MaxBytes : int.MaxValue, options.FetchMaxBytes);
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * Math.Max(0, request.MaxWaitMs) / 1000;

        while (true)
        {
            // Take the wake-up signals before reading, so a change that lands after the read still ends the
            // wait: followers wait for appends, consumers for the high watermark, which bounds what they see.
            var signals = new List<Task>(targets.Count + 1);
            foreach (var target in targets)
            {
                if (target.Partition is { } partition)
                {
                    signals.Add(replicaId >= 0 ? partition.NextAppend : partition.NextHighWatermark);
                    if (replicaId >= 0 && FollowerReadsEnabled)
                    {
                        signals.Add(partition.NextHighWatermark);
                    }
                }
            }
            var reads = ReadAll(targets, maxBytes, request.IsolationLevel == ReadCommitted, replicaId >= 0, out var totalBytes, out var answerNow);
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (totalBytes >= request.MinBytes || answerNow || remaining <= TimeSpan.Zero || signals.Count == 0
                || (replicaId >= 0 && FollowerReadsEnabled && HighWatermarkMoved(targets)))
            {
                if (replicaId < 0)
                {
                    NoteFollowerReads(context, targets, reads);
                }
                return BuildResponse(context, request, targets, reads, useTopicIds);
            }
            // The timer is cancelled once an append wins, so a woken long poll leaves no timer behind.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.Closing);
            signals.Add(Task.Delay(remaining, timeout.Token));
            await Task.WhenAny(signals).ConfigureAwait(false);
            await timeout.CancelAsync().ConfigureAwait(false);
            context.Closing.ThrowIfCancellationRequested();
        }
    }

    private List<FetchTarget> Resolve(RequestContext context, FetchRequest request, bool useTopicIds, int replicaId)
    {
        var hasLastFetchedEpoch = context.ApiVersion >= FirstVersionWithLastFetchedEpoch;
        // Kafka's rule: consumers that can name their rack may read from followers; older ones and followers read
        // from the leader only.
        var hasRack = context.ApiVersion >= FirstVersionWithRackId;
        var requireLeader = replicaId >= 0 || !hasRack;
        var targets = new List<FetchTarget>();
        foreach (var topic in request.Topics)
        {
            TopicDefinition? definition;
            var known = useTopicIds ? catalog.TryGet(topic.TopicId, out definition) : catalog.TryGet(topic.Topic, out definition);
            foreach (var wanted in topic.Partitions)
            {
                Partition? partition = null;
                var error = ErrorCode.None;
                var preferredReadReplica = PreferredReadReplicas.None;
                var highWatermarkBefore = -1L;
                if (!known)
                {
                    error = useTopicIds ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition;
                }
                else if (!replicas.TryGetPartition(definition!.Name, wanted.Partition, out partition))
                {
                    error = ErrorCode.UnknownTopicOrPartition;
                }
                else
                {
                    error = partition.CheckLeaderEpoch(wanted.CurrentLeaderEpoch, requireLeader);
                    highWatermarkBefore = partition.Log.HighWatermark;
                }
                if (error == ErrorCode.None && replicaId < 0 && hasRack && readReplicas is not null && partition!.IsLeader)
                {
                    preferredReadReplica = readReplicas.Find(partition, request.RackId, wanted.FetchOffset, context.ClientId);
                }
                FetchResponse.EpochEndOffset? diverging = null;
                if (error == ErrorCode.None && replicaId >= 0)
                {
                    diverging = hasLastFetchedEpoch ? ReplicaFetch.Divergence(partition!, wanted.LastFetchedEpoch, wanted.FetchOffset) : null;
                    if (diverging is null && !partition!.OnFollowerFetch(replicaId, wanted.FetchOffset))
                    {
                        error = ErrorCode.NotLeaderOrFollower;
                    }
                }
                targets.Add(new FetchTarget(
                    topic.Topic, topic.TopicId, wanted.Partition, wanted.FetchOffset, wanted.PartitionMaxBytes, partition, error, diverging,
                    preferredReadReplica, highWatermarkBefore));
            }
        }
        return targets;
    }

    /// <summary>
    /// Reads every target within the byte limits. <paramref name="answerNow"/> is set when a partition must be
    /// answered without waiting: an error, a divergence, or a consumer sent to another replica.
    /// </summary>
    private static FetchRead[] ReadAll(List<FetchTarget> targets, int maxBytes, bool readCommitted, bool replica, out int totalBytes, out bool answerNow)
    {
        var reads = new FetchRead[targets.Count];
        totalBytes = 0;
        answerNow = false;
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            if (target.Error != ErrorCode.None || target.Partition is null)
            {
                reads[i] = new FetchRead(target.Error, null, -1);
                answerNow = true;
                continue;
            }
            if (target.Diverging is not null)
            {
                // The follower truncates before it fetches again: answered at once, without records.
                reads[i] = new FetchRead(ErrorCode.None, null, -1);
                answerNow = true;
                continue;
            }
            if (target.PreferredReadReplica != PreferredReadReplicas.None)
            {
                // The consumer reads from the named replica; the leader sends no records (and does not make it wait).
                reads[i] = new FetchRead(ErrorCode.None, null, target.Partition.LastStableOffset);
                answerNow = true;
                continue;
            }
            var budget = Math.Min(target.PartitionMaxBytes, maxBytes - totalBytes);
            var log = target.Partition.Log;
            // read_committed stops at the last stable offset: nothing of an open transaction is visible yet.
            var lastStableOffset = target.Partition.LastStableOffset;
            try
            {
                // KIP-74: the first batch of the response is returned even when it is larger
                // than the limits, so a consumer can never be stuck behind one large batch.
                // A follower reads to the log end: what it fetches is what moves the high watermark.
                var maxOffset = replica ? log.LogEndOffset : readCommitted ? lastStableOffset : log.HighWatermark;
                var result = log.Read(target.FetchOffset, Math.Max(0, budget), maxOffset, minOneBatch: totalBytes == 0);
                totalBytes += result.Records.Length;
                reads[i] = new FetchRead(ErrorCode.None, result, lastStableOffset);
            }
            catch (OffsetOutOfRangeException)
            {
                reads[i] = new FetchRead(ErrorCode.OffsetOutOfRange, null, lastStableOffset);
                answerNow = true;
            }
            catch (IOException)
            {
                // The log dir is offline now; partitions in other dirs are still read.
                reads[i] = new FetchRead(ErrorCode.KafkaStorageError, null, lastStableOffset);
                answerNow = true;
            }
        }
        return reads;
    }

    private static FetchResponse BuildResponse(RequestContext context, FetchRequest request, List<FetchTarget> targets, FetchRead[] reads, bool useTopicIds)
    {
        var response = new FetchResponse();
        FetchResponse.FetchableTopicResponse? current = null;
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            if (current is null || (useTopicIds ? current.TopicId != target.TopicId : current.Topic != target.Topic))
            {
                current = new FetchResponse.FetchableTopicResponse { Topic = target.Topic, TopicId = target.TopicId };
                response.Responses.Add(current);
            }
            current.Partitions.Add(Describe(context, request, target, reads[i]));
        }
        return response;
    }

    private static FetchResponse.PartitionData Describe(RequestContext context, FetchRequest request, FetchTarget target, FetchRead read)
    {
        var data = new FetchResponse.PartitionData
        {
            PartitionIndex = target.PartitionIndex,
            ErrorCode = (short)read.Error,
            HighWatermark = -1,
            LastStableOffset = -1,
            LogStartOffset = -1,
            AbortedTransactions = request.IsolationLevel == ReadCommitted ? [] : null,
        };
        if (target.Diverging is { } diverging)
        {
            data.DivergingEpoch = diverging;
        }
        data.PreferredReadReplica = target.PreferredReadReplica;
        if (target.Partition is { } partition)
        {
            var log = partition.Log;
            data.HighWatermark = log.HighWatermark;
            data.LastStableOffset = read.LastStableOffset >= 0 ? read.LastStableOffset : partition.LastStableOffset;
            data.LogStartOffset = log.LogStartOffset;
            if (data.AbortedTransactions is not null && read.Result is { Records.Length: > 0 })
            {
                AddAbortedTransactions(data.AbortedTransactions, log, target.FetchOffset, data.LastStableOffset);
            }
        }
        if (read.Result is { Records.Length: > 0 } result)
        {
            if (FileRegionBytes.TryBorrow(result.Records, out var records))
            {
                // Read or spliced into the socket when the response is written; released once it has been sent.
                data.Records = context.Own(records).Memory;
            }
            else
            {
                // Retention deleted the segment and file.delete.delay.ms passed while this fetch waited: the
                // offset is below the log start now, and the consumer learns so as it would on its next fetch.
                data.ErrorCode = (short)ErrorCode.OffsetOutOfRange;
                data.Records = ReadOnlyMemory<byte>.Empty;
            }
        }
        else
        {
            data.Records = ReadOnlyMemory<byte>.Empty;
        }
        return data;
    }

    /// <summary>
    /// Whether the high watermark of a partition moved since this replica fetch arrived: with follower reads on, the
    /// follower learns it at once, so consumers reading from it are not held back until the next append.
    /// </summary>
    private static bool HighWatermarkMoved(List<FetchTarget> targets)
    {
        foreach (var target in targets)
        {
            if (target.Partition is { } partition && target.HighWatermarkBefore >= 0 && partition.Log.HighWatermark != target.HighWatermarkBefore)
            {
                return true;
            }
        }
        return false;
    }

    private void NoteFollowerReads(RequestContext context, List<FetchTarget> targets, FetchRead[] reads)
    {
        if (readReplicas is null)
        {
            return;
        }
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i].Partition is { IsLeader: false } partition && reads[i].Result is { Records.Length: > 0 } result)
            {
                readReplicas.ServedAsFollower(partition, context.ClientId, targets[i].FetchOffset, result.Records.Length);
            }
        }
    }

    /// <summary>The aborted transactions of the fetched range, so the consumer can drop their records.</summary>
    private static void AddAbortedTransactions(List<FetchResponse.AbortedTransaction> into, PartitionLog log, long fetchOffset, long upperBound)
    {
        foreach (var aborted in log.CollectAbortedTransactions(fetchOffset, upperBound))
        {
            into.Add(new FetchResponse.AbortedTransaction { ProducerId = aborted.ProducerId, FirstOffset = aborted.FirstOffset });
        }
    }

    private sealed record FetchTarget(
        string Topic, KafkaUuid TopicId, int PartitionIndex, long FetchOffset, int PartitionMaxBytes, Partition? Partition, ErrorCode Error,
        FetchResponse.EpochEndOffset? Diverging, int PreferredReadReplica, long HighWatermarkBefore);

    private readonly record struct FetchRead(ErrorCode Error, LogReadResult? Result, long LastStableOffset);
}
