using Freshet.Broker.Cluster;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>DeleteTopics: by name (all versions) or by topic id (v6+).</summary>
internal sealed class DeleteTopicsHandler(TopicCatalog catalog, TopicAdmin admin) : ApiHandler<DeleteTopicsRequest>
{
    private const short FirstVersionWithTopicStates = 6;

    public override ApiKey Key => ApiKey.DeleteTopics;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, DeleteTopicsRequest request)
    {
        var allowForward = admin.MayForward(context);
        var response = new DeleteTopicsResponse();
        if (context.ApiVersion < FirstVersionWithTopicStates)
        {
            foreach (var name in request.TopicNames)
            {
                response.Responses.Add(await DeleteAsync(name, allowForward, context.Closing).ConfigureAwait(false));
            }
        }
        else
        {
            foreach (var state in request.Topics)
            {
                if (state.Name is { } name)
                {
                    response.Responses.Add(await DeleteAsync(name, allowForward, context.Closing).ConfigureAwait(false));
                }
                else if (catalog.TryGet(state.TopicId, out var topic))
                {
                    response.Responses.Add(await DeleteAsync(topic.Name, allowForward, context.Closing).ConfigureAwait(false));
                }
                else
                {
                    response.Responses.Add(new DeleteTopicsResponse.DeletableTopicResult
                    {
                        Name = null,
                        TopicId = state.TopicId,
                        ErrorCode = (short)ErrorCode.UnknownTopicId,
                        ErrorMessage = $"No topic has id {state.TopicId}.",
                    });
                }
            }
        }
        return response;
    }

    private async Task<DeleteTopicsResponse.DeletableTopicResult> DeleteAsync(string name, bool allowForward, CancellationToken cancellationToken)
    {
        var result = await admin.DeleteAsync(name, allowForward, cancellationToken).ConfigureAwait(false);
        return new DeleteTopicsResponse.DeletableTopicResult
        {
            Name = name,
            TopicId = result.Topic?.Id ?? default,
            ErrorCode = (short)result.Error,
            ErrorMessage = result.Message,
        };
    }
}
