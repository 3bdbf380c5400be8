using Freshet.Broker.Cluster;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Metadata.Controller;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// CreatePartitions: raises a topic's partition count, with the new partitions' replicas placed by the controller
/// or given explicitly. Decided by the active controller; other brokers forward the request there.
/// </summary>
internal sealed class CreatePartitionsHandler(TopicCatalog catalog, QuorumController? controller, ControllerForwarding forwarding, MetadataPublisher publisher) : ApiHandler<CreatePartitionsRequest>
{
    private static readonly TimeSpan LocalCatchUp = TimeSpan.FromSeconds(5);

    public override ApiKey Key => ApiKey.CreatePartitions;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, CreatePartitionsRequest request)
    {
        if (forwarding.ShouldForward(context))
        {
            return await forwarding.ForwardAsync(
                request, context.ApiVersion, CreatePartitionsResponse.Read, ct => CreateAllAsync(request, ct),
                r => r.Results.Exists(x => x.ErrorCode == (short)ErrorCode.NotController), context.Closing).ConfigureAwait(false);
        }
        return await CreateAllAsync(request, context.Closing).ConfigureAwait(false);
    }

    private async Task<CreatePartitionsResponse> CreateAllAsync(CreatePartitionsRequest request, CancellationToken cancellationToken)
    {
        var response = new CreatePartitionsResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topic in request.Topics)
        {
            var (error, message) = seen.Add(topic.Name)
                ? await CreateAsync(topic, request.ValidateOnly, cancellationToken).ConfigureAwait(false)
                : (ErrorCode.InvalidRequest, $"Topic '{topic.Name}' appears more than once in the request.");
            response.Results.Add(new CreatePartitionsResponse.CreatePartitionsTopicResult { Name = topic.Name, ErrorCode = (short)error, ErrorMessage = message });
        }
        return response;
    }

    private async Task<(ErrorCode, string?)> CreateAsync(CreatePartitionsRequest.CreatePartitionsTopic topic, bool validateOnly, CancellationToken cancellationToken)
    {
        if (controller is not { IsActive: true })
        {
            return (ErrorCode.NotController, "This node is not the active controller.");
        }
        if (!catalog.TryGet(topic.Name, out var current))
        {
            return (ErrorCode.UnknownTopicOrPartition, $"Topic '{topic.Name}' does not exist.");
        }
        if (current.IsInternal)
        {
            return (ErrorCode.InvalidRequest, $"The partitions of internal topic '{topic.Name}' cannot be changed.");
        }
        List<IReadOnlyList<int>>? assignments = null;
        if (topic.Assignments is { Count: > 0 } given)
        {
            assignments = [];
            foreach (var assignment in given)
            {
                assignments.Add(assignment.BrokerIds);
            }
        }
        var reply = await controller.CreatePartitionsAsync(topic.Name, topic.Count, assignments, validateOnly, cancellationToken).ConfigureAwait(false);
        if (reply.Error == ErrorCode.None && !validateOnly)
        {
            await publisher.WaitUntilAsync(
                () => catalog.TryGet(topic.Name, out var now) && now.PartitionCount >= topic.Count, LocalCatchUp, cancellationToken).ConfigureAwait(false);
        }
        return (reply.Error, reply.Message);
    }
}
