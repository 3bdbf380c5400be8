using Freshet.Broker.Diagnostics;
using Freshet.Broker.Handlers;
using Freshet.Broker.Network;
using Freshet.Protocol.Framing;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Requests;

/// <summary>
/// Turns one frame into one response: checks the api key and version against the handler
/// table, decodes, runs the handler and sends the response in Kafka's framing. Returns false
/// when the connection must close, which is how Kafka treats requests it cannot parse.
/// </summary>
internal sealed class RequestDispatcher(HandlerRegistry handlers, ILogger logger)
{
    public async ValueTask<bool> DispatchAsync(ConnectionContext connection, Memory<byte> frame)
    {
        if (!RequestHeaderPeek.TryPeek(frame.Span, out var apiKey, out var version, out var correlationId))
        {
            return Close(connection, "request header truncated");
        }
        if (!ApiCatalog.TryGet(apiKey, out var spec) || !handlers.TryGet(apiKey, out var handler))
        {
            return Close(connection, $"unknown or unsupported api key {apiKey}");
        }
        if (version < handler.MinVersion || version > handler.MaxVersion)
        {
            if (handler.Key == ApiKey.ApiVersions)
            {
                // A client newer than the broker learns the supported ranges from a v0 answer.
                var fallback = ApiVersionsHandler.UnsupportedVersionResponse(handlers);
                await ResponseWriter.SendAsync(connection, correlationId, headerVersion: 0, fallback, version: 0).ConfigureAwait(false);
                return true;
            }
            return Close(connection, $"{handler.Key} v{version} is not supported (supported: v{handler.MinVersion}-v{handler.MaxVersion})");
        }

        RequestHeader header;
        IRequestMessage request;
        try
        {
            var reader = new KafkaReader(frame);
            header = RequestHeader.Read(ref reader, spec.RequestHeaderVersion(version));
            request = ApiCatalog.ReadRequest(handler.Key, version, ref reader);
        }
        catch (MalformedMessageException ex)
        {
            return Close(connection, $"malformed {handler.Key} v{version} request: {ex.Message}");
        }

        using var context = new RequestContext(connection, header);
        IResponseMessage? response;
        try
        {
            response = await handler.HandleAsync(context, request).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (connection.Closing.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex)
        {
            BrokerLog.HandlerFailed(logger, ex, handler.Key.ToString(), version, connection.Id);
            return false;
        }
        if (response is not null)
        {
            await ResponseWriter.SendAsync(connection, correlationId, spec.ResponseHeaderVersion(version), response, version).ConfigureAwait(false);
        }
        return true;
    }

    private bool Close(ConnectionContext connection, string reason)
    {
        BrokerLog.ClosingConnection(logger, connection.Id, connection.RemoteEndPoint, reason);
        return false;
    }
}
