using Freshet.Metadata.Quorum;
using Freshet.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Metadata.Controller;

/// <summary>One queued controller operation.</summary>
internal abstract partial class ControllerEvent
{
    public abstract Task RunAsync(ILogger logger, CancellationToken leadership, CancellationToken stopping);

    /// <summary>Completes a request that never ran because the controller stopped.</summary>
    public abstract void Abandon();

    [LoggerMessage(Level = LogLevel.Error, Message = "A controller operation failed")]
    protected static partial void LogFailed(ILogger logger, Exception e);
}

internal sealed class ControllerEvent<T>(Func<CancellationToken, Task<T>> operation, Func<ErrorCode, string?, T> fail) : ControllerEvent
{
    private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Result => _result.Task;

    public override async Task RunAsync(ILogger logger, CancellationToken leadership, CancellationToken stopping)
    {
        if (leadership.IsCancellationRequested)
        {
            _result.TrySetResult(fail(ErrorCode.NotController, "This node is not the active controller."));
            return;
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(leadership, stopping);
        try
        {
            _result.TrySetResult(await operation(linked.Token).ConfigureAwait(false));
        }
        catch (NotControllerException e)
        {
            _result.TrySetResult(fail(ErrorCode.NotController, e.Message));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            _result.TrySetCanceled(stopping);
        }
        catch (OperationCanceledException) when (leadership.IsCancellationRequested)
        {
            _result.TrySetResult(fail(ErrorCode.NotController, "Leadership moved while the operation was committing."));
        }
        catch (Exception e)
        {
            // A bug in one operation must answer that request, not stop the loop for everyone.
            LogFailed(logger, e);
            _result.TrySetResult(fail(ErrorCode.UnknownServerError, e.Message));
        }
    }

    public override void Abandon() => _result.TrySetResult(fail(ErrorCode.NotController, "The controller stopped."));
}
