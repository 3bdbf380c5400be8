using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Freshet.Broker.Network;

/// <summary>
/// <see cref="Socket.SendPacketsAsync(SocketAsyncEventArgs)"/> as an awaitable, reused for every send of a
/// connection. On Linux the runtime sends file elements with sendfile(2), waiting for the socket to drain when its
/// buffer is full, so record data goes from the page cache to the socket without passing through user memory.
/// </summary>
internal sealed class SendPacketsOperation : SocketAsyncEventArgs, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _source = new() { RunContinuationsAsynchronously = true };

    public ValueTask SendAsync(Socket socket, SendPacketsElement[] elements)
    {
        _source.Reset();
        SendPacketsElements = elements;
        if (!socket.SendPacketsAsync(this))
        {
            Complete();
        }
        return new ValueTask(this, _source.Version);
    }

    protected override void OnCompleted(SocketAsyncEventArgs e) => Complete();

    private void Complete()
    {
        SendPacketsElements = null;
        if (SocketError == SocketError.Success)
        {
            _source.SetResult(true);
        }
        else
        {
            _source.SetException(new SocketException((int)SocketError));
        }
    }

    public void GetResult(short token) => _source.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _source.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);
}
