using Freshet.Metadata.Image;
using Freshet.Metadata.Records;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Metadata.Controller;

/// <summary>Broker registration, heartbeats, fencing and controlled shutdown.</summary>
public sealed partial class QuorumController
{
    /// <summary>
    /// Registers a broker, fenced. A new incarnation replaces the old registration with a new epoch,
    /// unless the old one still has a live session (DUPLICATE_BROKER_REGISTRATION): two processes must
    /// not share an id.
    /// </summary>
    public Task<BrokerRegistrationReply> RegisterBrokerAsync(BrokerRegistrationSpec spec, CancellationToken token = default) =>
        SubmitAsync(t => RegisterBrokerCoreAsync(spec, t), (error, message) => new BrokerRegistrationReply(error, -1, message), token);

    /// <summary>Kafka's broker heartbeat: session keeping, unfencing, controlled shutdown.</summary>
    public Task<BrokerHeartbeatReply> HeartbeatAsync(BrokerHeartbeat heartbeat, CancellationToken token = default)
    {
        _sessions.NoteArrival(heartbeat.BrokerId, heartbeat.BrokerEpoch);
        return SubmitAsync(t => HeartbeatCoreAsync(heartbeat, t), (error, _) => BrokerHeartbeatReply.Failed(error), token);
    }

    /// <summary>Removes a broker's registration (UnregisterBrokerRecord); its leaderships and ISR places go first.</summary>
    public Task<ControllerReply> UnregisterBrokerAsync(int brokerId, CancellationToken token = default) =>
        SubmitAsync(t => UnregisterBrokerCoreAsync(brokerId, t), (error, message) => new ControllerReply(error, message), token);

    /// <summary>
    /// Fences every unfenced broker whose session expired; the session timer calls this. Returns how long until
    /// the next session can expire, at most a heartbeat interval.
    /// </summary>
    internal Task<TimeSpan> FenceExpiredBrokersAsync(CancellationToken token) =>
        SubmitAsync(FenceExpiredBrokersCoreAsync, (_, _) => HeartbeatInterval, token);

    private async Task<BrokerRegistrationReply> RegisterBrokerCoreAsync(BrokerRegistrationSpec spec, CancellationToken token)
    {
        var image = _quorum.Image;
        if (spec.BrokerId < 0)
            return new BrokerRegistrationReply(ErrorCode.InvalidRequest, -1, $"Invalid broker id {spec.BrokerId}.");
        var records = new List<MetadataRecord>();
        if (image.Brokers.TryGetValue(spec.BrokerId, out var existing))
        {
            if (existing.IncarnationId != spec.IncarnationId && _sessions.IsHeardAndLive(spec.BrokerId))
            {
                return new BrokerRegistrationReply(ErrorCode.DuplicateBrokerRegistration, -1,
                    $"Broker {spec.BrokerId} is already registered by incarnation {existing.IncarnationId}, which is still heartbeating.");
            }
        }

        // The epoch is above every offset already applied, so it is above every earlier epoch, and the
        // record carries it so that every node's image agrees on it.
        var epoch = image.Offset + 1;
        var register = new RegisterBrokerRecord
        {
            BrokerId = spec.BrokerId,
            IncarnationId = spec.IncarnationId,
            BrokerEpoch = epoch,
            Rack = spec.Rack,
            Fenced = true,
        };
        foreach (var listener in spec.Listeners)
        {
            register.EndPoints.Add(new RegisterBrokerRecord.BrokerEndpoint
            {
                Name = listener.Name, Host = listener.Host, Port = (ushort)listener.Port, SecurityProtocol = listener.SecurityProtocol,
            });
        }
        records.Add(MetadataRecord.Of(register));
        if (existing is { Fenced: false })
            AddBrokerRemovalChanges(image, spec.BrokerId, records);
        var unfenceNow = spec.BrokerId == _options.CoLocatedBrokerId;
        var elections = 0;
        if (unfenceNow)
        {
            // Decided on the image as this entry will leave it so far: registered, fenced, its old leaderships gone.
            var registered = new MetadataDelta(image);
            foreach (var record in records)
                registered.Replay(record);
            elections = AddUnfenceChanges(registered.Apply(image.Offset + 1), spec.BrokerId, epoch, records);
        }

        var offset = await CommitAsync(records, token).ConfigureAwait(false);
        _sessions.Touch(_sessions.Start(spec.BrokerId, offset));
        LogRegistered(_logger, spec.BrokerId, epoch, spec.IncarnationId.ToString());
        if (unfenceNow)
            LogUnfenced(_logger, spec.BrokerId, elections);
        return new BrokerRegistrationReply(ErrorCode.None, epoch);
    }

    private async Task<BrokerHeartbeatReply> HeartbeatCoreAsync(BrokerHeartbeat heartbeat, CancellationToken token)
    {
        var image = _quorum.Image;
        var id = heartbeat.BrokerId;
        if (!image.Brokers.TryGetValue(id, out var broker))
            return BrokerHeartbeatReply.Failed(ErrorCode.BrokerIdNotRegistered);
        if (broker.Epoch != heartbeat.BrokerEpoch)
            return BrokerHeartbeatReply.Failed(ErrorCode.StaleBrokerEpoch);

        var session = _sessions.Find(id) ?? _sessions.Start(id, image.Offset);
        _sessions.Touch(session);
        var caughtUp = heartbeat.CurrentMetadataOffset >= session.RegistrationOffset;
        var fenced = broker.Fenced;
        var shouldShutDown = false;

        if (heartbeat.WantShutDown)
        {
            session.ShuttingDown = true;
            if (fenced)
            {
                shouldShutDown = true;
            }
            else
            {
                shouldShutDown = await ControlledShutdownAsync(broker, session, heartbeat.CurrentMetadataOffset, token).ConfigureAwait(false);
                fenced = shouldShutDown;
            }
        }
        else if (heartbeat.WantFence)
        {
            if (!fenced)
                await FenceAsync(image, broker, token).ConfigureAwait(false);
            fenced = true;
        }
        else if (fenced && caughtUp && !session.ShuttingDown && !broker.InControlledShutdown)
        {
            await UnfenceAsync(image, broker, token).ConfigureAwait(false);
            fenced = false;
        }
        return new BrokerHeartbeatReply(ErrorCode.None, caughtUp, fenced, session.ShuttingDown && !fenced, shouldShutDown);
    }

    /// <summary>
    /// Moves leaderships and ISR places away from a broker that wants to stop, and lets it stop once it
    /// leads nothing and has applied the records that moved its leaderships; it is then fenced.
    /// </summary>
    private async Task<bool> ControlledShutdownAsync(BrokerRegistration broker, BrokerSession session, long brokerOffset, CancellationToken token)
    {
        var records = new List<MetadataRecord>();
        if (!broker.InControlledShutdown)
        {
            // In the log, as Kafka records it, so that a controller elected before the broker stops keeps it out
            // of elections and ISRs too; in this controller's memory alone it would be forgotten with it.
            records.Add(MetadataRecord.Of(new BrokerRegistrationChangeRecord { BrokerId = broker.Id, BrokerEpoch = broker.Epoch, InControlledShutdown = 1 }));
        }
        AddBrokerRemovalChanges(_quorum.Image, broker.Id, records);
        if (records.Count > 0)
        {
            session.ControlledShutdownOffset = await CommitAsync(records, token).ConfigureAwait(false);
            if (!broker.InControlledShutdown)
                LogControlledShutdownStarted(_logger, broker.Id, records.Count - 1);
        }
        else if (session.ControlledShutdownOffset < 0)
            session.ControlledShutdownOffset = _quorum.Image.Offset;

        if (LeadsAnyPartition(_quorum.Image, broker.Id) || brokerOffset < session.ControlledShutdownOffset)
            return false;
        await CommitAsync([MetadataRecord.Of(new FenceBrokerRecord { Id = broker.Id, Epoch = broker.Epoch })], token).ConfigureAwait(false);
        LogShutDown(_logger, broker.Id);
        return true;
    }

    private async Task FenceAsync(MetadataImage image, BrokerRegistration broker, CancellationToken token)
    {
        List<MetadataRecord> records = [MetadataRecord.Of(new FenceBrokerRecord { Id = broker.Id, Epoch = broker.Epoch })];
        AddBrokerRemovalChanges(image, broker.Id, records);
        var offset = await CommitAsync(records, token).ConfigureAwait(false);
        LogFenced(_logger, broker.Id, offset, records.Count - 1);
    }

    /// <summary>Unfences a caught-up broker and gives it the leaderless partitions it can lead.</summary>
    private async Task UnfenceAsync(MetadataImage image, BrokerRegistration broker, CancellationToken token)
    {
        var records = new List<MetadataRecord>();
        var elections = AddUnfenceChanges(image, broker.Id, broker.Epoch, records);
        await CommitAsync(records, token).ConfigureAwait(false);
        LogUnfenced(_logger, broker.Id, elections);
    }

    /// <summary>Adds the unfencing of a broker and the leaders it gives to leaderless partitions; returns how many it leads now.</summary>
    private int AddUnfenceChanges(MetadataImage image, int brokerId, long brokerEpoch, List<MetadataRecord> records)
    {
        records.Add(MetadataRecord.Of(new UnfenceBrokerRecord { Id = brokerId, Epoch = brokerEpoch }));
        var elections = 0;
        bool Eligible(int b) => b == brokerId || IsEligible(image, b);
        foreach (var topic in image.TopicsById.Values)
        {
            foreach (var partition in topic.Partitions.Values)
            {
                if (partition.Leader != PartitionImage.NoLeader || !partition.Replicas.Contains(brokerId))
                    continue;
                var change = PartitionChangeBuilder.Build(topic.Id, partition, partition.Isr, Eligible, UncleanElectionAllowed(image, topic.Name));
                if (change is not null)
                {
                    records.Add(MetadataRecord.Of(change));
                    elections++;
                }
            }
        }
        return elections;
    }

    private async Task<ControllerReply> UnregisterBrokerCoreAsync(int brokerId, CancellationToken token)
    {
        var image = _quorum.Image;
        if (!image.Brokers.TryGetValue(brokerId, out var broker))
            return new ControllerReply(ErrorCode.BrokerIdNotRegistered, $"Broker {brokerId} is not registered.");
        List<MetadataRecord> records = [MetadataRecord.Of(new UnregisterBrokerRecord { BrokerId = brokerId, BrokerEpoch = broker.Epoch })];
        AddBrokerRemovalChanges(image, brokerId, records);
        await CommitAsync(records, token).ConfigureAwait(false);
        _sessions.Remove(brokerId);
        return ControllerReply.Ok;
    }

    private async Task<TimeSpan> FenceExpiredBrokersCoreAsync(CancellationToken token)
    {
        var current = _quorum.Image;
        _sessions.FoldArrivals(id => current.Brokers.TryGetValue(id, out var b) ? b.Epoch : null);
        var expired = new List<int>();
        foreach (var (id, session) in _sessions.All)
        {
            if (_sessions.IsExpired(session))
                expired.Add(id);
        }
        foreach (var id in expired)
        {
            var image = _quorum.Image;
            if (!image.Brokers.TryGetValue(id, out var broker) || broker.Fenced)
                continue;
            LogSessionExpired(_logger, id, _options.BrokerSessionTimeoutMs);
            await FenceAsync(image, broker, token).ConfigureAwait(false);
        }
        return UntilNextExpiry(_quorum.Image);
    }

    /// <summary>The time until the first session of an unfenced broker expires, at most a heartbeat interval.</summary>
    private TimeSpan UntilNextExpiry(MetadataImage image)
    {
        var next = HeartbeatInterval;
        foreach (var (id, session) in _sessions.All)
        {
            if (image.Brokers.TryGetValue(id, out var broker) && !broker.Fenced)
            {
                var left = _sessions.TimeLeft(session);
                if (left < next)
                    next = left;
            }
        }
        return next < MinSessionCheckDelay ? MinSessionCheckDelay : next;
    }

    /// <summary>
    /// For a broker that is going away (fenced, shutting down, unregistered): each partition it leads
    /// gets another leader, and each ISR it is in loses it unless it is the last member.
    /// </summary>
    private void AddBrokerRemovalChanges(MetadataImage image, int brokerId, List<MetadataRecord> records)
    {
        bool Eligible(int b) => b != brokerId && IsEligible(image, b);
        foreach (var topic in image.TopicsById.Values)
        {
            foreach (var partition in topic.Partitions.Values)
            {
                if (partition.Leader != brokerId && !partition.Isr.Contains(brokerId))
                    continue;
                var targetIsr = PartitionChangeBuilder.IsrWithout(partition.Isr, brokerId);
                var change = PartitionChangeBuilder.Build(topic.Id, partition, targetIsr, Eligible, UncleanElectionAllowed(image, topic.Name));
                if (change is not null)
                    records.Add(MetadataRecord.Of(change));
            }
        }
    }

    private static bool LeadsAnyPartition(MetadataImage image, int brokerId)
    {
        foreach (var topic in image.TopicsById.Values)
        {
            foreach (var partition in topic.Partitions.Values)
            {
                if (partition.Leader == brokerId)
                    return true;
            }
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered broker {BrokerId} with epoch {Epoch} (incarnation {Incarnation})")]
    private static partial void LogRegistered(ILogger logger, int brokerId, long epoch, string incarnation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unfenced broker {BrokerId}; {Elections} leaderless partitions got a leader")]
    private static partial void LogUnfenced(ILogger logger, int brokerId, int elections);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fenced broker {BrokerId} at metadata offset {Offset}; {Changes} partitions changed leader or ISR")]
    private static partial void LogFenced(ILogger logger, int brokerId, long offset, int changes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fencing broker {BrokerId}: no heartbeat for {TimeoutMs} ms")]
    private static partial void LogSessionExpired(ILogger logger, int brokerId, int timeoutMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker {BrokerId} is in controlled shutdown; {Changes} partitions changed leader or ISR")]
    private static partial void LogControlledShutdownStarted(ILogger logger, int brokerId, int changes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker {BrokerId} finished controlled shutdown and is fenced")]
    private static partial void LogShutDown(ILogger logger, int brokerId);
}
