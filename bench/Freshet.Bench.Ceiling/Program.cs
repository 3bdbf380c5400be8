using System.Net;
using System.Runtime.InteropServices;
using Freshet.Bench.Ceiling;

// freshet-ceiling [--port N] : serves until SIGTERM or Ctrl+C and prints "listening on host:port" once bound.
var port = 0;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port")
        port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

await using var server = CeilingServer.Start(new IPEndPoint(IPAddress.Loopback, port));
Console.WriteLine($"listening on {server.EndPoint}");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
