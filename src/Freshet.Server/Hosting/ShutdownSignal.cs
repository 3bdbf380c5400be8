using System.Runtime.InteropServices;

namespace Freshet.Server.Hosting;

/// <summary>
/// Turns SIGINT (Ctrl+C), SIGTERM and SIGQUIT into a cancellation token. The first signal asks
/// for an orderly stop; a second one cancels <see cref="Forced"/> so a stuck stop can be cut short.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _requested = new();
    private readonly CancellationTokenSource _forced = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Handle),
        ];
    }

    public CancellationToken Requested => _requested.Token;

    public CancellationToken Forced => _forced.Token;

    public string Reason { get; private set; } = "stop requested";

    private void Handle(PosixSignalContext context)
    {
        // Keep the process alive; it exits when the broker has stopped.
        context.Cancel = true;
        if (_requested.IsCancellationRequested)
        {
            _forced.Cancel();
            return;
        }

        Reason = context.Signal.ToString();
        _requested.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _requested.Dispose();
        _forced.Dispose();
    }
}
