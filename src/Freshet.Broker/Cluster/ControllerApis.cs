using Freshet.Metadata.Controller;
using Freshet.Metadata.Image;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Cluster;

/// <summary>
/// The requests brokers send the active controller (BrokerRegistration, BrokerHeartbeat, AlterPartition,
/// AllocateProducerIds), turned into calls on the local <see cref="QuorumController"/>. The listener's handlers
/// and the <see cref="ControllerChannel"/>'s local path both go through here, so a node that is its own
/// controller takes the same path as a remote one minus the socket.
/// </summary>
internal sealed class ControllerApis(QuorumController controller, string clusterId)
{
    public bool IsActive => controller.IsActive;

    public async Task<BrokerRegistrationResponse> RegisterBrokerAsync(BrokerRegistrationRequest request, CancellationToken cancellationToken)
    {
        if (request.ClusterId != clusterId)
        {
            // A node whose data dir belongs to another cluster must not join this one.
            return new BrokerRegistrationResponse { ErrorCode = (short)ErrorCode.InconsistentClusterId };
        }
        var listeners = new List<BrokerEndpoint>(request.Listeners.Count);
        foreach (var listener in request.Listeners)
        {
            listeners.Add(new BrokerEndpoint(listener.Name, listener.Host, listener.Port, listener.SecurityProtocol));
        }
        var reply = await controller.RegisterBrokerAsync(
            new BrokerRegistrationSpec(request.BrokerId, request.IncarnationId, listeners, string.IsNullOrEmpty(request.Rack) ? null : request.Rack),
            cancellationToken).ConfigureAwait(false);
        return new BrokerRegistrationResponse { ErrorCode = (short)reply.Error, BrokerEpoch = reply.BrokerEpoch };
    }

    public async Task<BrokerHeartbeatResponse> HeartbeatAsync(BrokerHeartbeatRequest request, CancellationToken cancellationToken)
    {
        var reply = await controller.HeartbeatAsync(
            new BrokerHeartbeat(request.BrokerId, request.BrokerEpoch, request.CurrentMetadataOffset, request.WantFence, request.WantShutDown),
            cancellationToken).ConfigureAwait(false);
        return new BrokerHeartbeatResponse
        {
            ErrorCode = (short)reply.Error,
            IsCaughtUp = reply.IsCaughtUp,
            IsFenced = reply.IsFenced,
            ShouldShutDown = reply.ShouldShutDown,
        };
    }

    public async Task<AlterPartitionResponse> AlterPartitionAsync(AlterPartitionRequest request, CancellationToken cancellationToken)
    {
        var updates = new List<IsrUpdate>();
        foreach (var topic in request.Topics)
        {
            var topicId = topic.TopicId;
            if (topicId == Protocol.Primitives.KafkaUuid.Zero && controller.Image.TopicByName(topic.TopicName) is { } byName)
            {
                // Versions before 2 name the topic instead of giving its id.
                topicId = byName.Id;
            }
            foreach (var partition in topic.Partitions)
            {
                List<int> isr;
                List<long>? epochs = null;
                if (partition.NewIsrWithEpochs.Count > 0)
                {
                    isr = new List<int>(partition.NewIsrWithEpochs.Count);
                    epochs = new List<long>(partition.NewIsrWithEpochs.Count);
                    var checkEpochs = false;
                    foreach (var member in partition.NewIsrWithEpochs)
                    {
                        isr.Add(member.BrokerId);
                        epochs.Add(member.BrokerEpoch);
                        checkEpochs |= member.BrokerEpoch >= 0;
                    }
                    if (!checkEpochs)
                    {
                        epochs = null;
                    }
                }
                else
                {
                    isr = partition.NewIsr;
                }
                updates.Add(new IsrUpdate(topicId, partition.PartitionIndex, partition.LeaderEpoch, partition.PartitionEpoch, isr, epochs));
            }
        }
        var reply = await controller.AlterPartitionAsync(request.BrokerId, request.BrokerEpoch, updates, cancellationToken).ConfigureAwait(false);
        var response = new AlterPartitionResponse { ErrorCode = (short)reply.Error };
        var byTopic = new Dictionary<Protocol.Primitives.KafkaUuid, AlterPartitionResponse.TopicData>();
        foreach (var state in reply.Partitions)
        {
            if (!byTopic.TryGetValue(state.TopicId, out var topicData))
            {
                topicData = new AlterPartitionResponse.TopicData
                {
                    TopicId = state.TopicId,
                    TopicName = controller.Image.TopicsById.TryGetValue(state.TopicId, out var image) ? image.Name : "",
                };
                byTopic[state.TopicId] = topicData;
                response.Topics.Add(topicData);
            }
            topicData.Partitions.Add(new AlterPartitionResponse.PartitionData
            {
                PartitionIndex = state.PartitionId,
                ErrorCode = (short)state.Error,
                LeaderId = state.Leader,
                LeaderEpoch = state.LeaderEpoch,
                PartitionEpoch = state.PartitionEpoch,
                Isr = state.Isr.IsDefault ? [] : [.. state.Isr],
            });
        }
        return response;
    }

    public async Task<AllocateProducerIdsResponse> AllocateProducerIdsAsync(AllocateProducerIdsRequest request, CancellationToken cancellationToken)
    {
        var reply = await controller.AllocateProducerIdsAsync(request.BrokerId, request.BrokerEpoch, cancellationToken).ConfigureAwait(false);
        return new AllocateProducerIdsResponse { ErrorCode = (short)reply.Error, ProducerIdStart = reply.FirstProducerId, ProducerIdLen = reply.Count };
    }
}
