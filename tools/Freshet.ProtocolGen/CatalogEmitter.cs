namespace Freshet.ProtocolGen;

/// <summary>Emits ApiKey, ApiCatalog (versions, listeners, dispatch), ErrorCode and ErrorCodes.</summary>
internal static class CatalogEmitter
{
    private sealed record Api(string Name, short Key, MessageSpec Request, MessageSpec Response);

    private static List<Api> Apis(IReadOnlyList<MessageSpec> messages)
    {
        var byName = messages.ToDictionary(m => m.Name, StringComparer.Ordinal);
        return [.. messages
            .Where(m => m.Kind == "request" && m.ApiKey is not null)
            .Select(m => new Api(
                Naming.ApiName(m.Name),
                m.ApiKey!.Value,
                m,
                byName[m.Name.Replace("Request", "Response", StringComparison.Ordinal)]))
            .OrderBy(a => a.Key)];
    }

    public static string EmitApiKey(IReadOnlyList<MessageSpec> messages)
    {
        var w = new CodeWriter();
        GeneratedHeader.Write(w, usesPrimitives: false);
        w.Open("public enum ApiKey : short");
        foreach (var api in Apis(messages))
        {
            w.Line($"{api.Name} = {api.Key},");
        }
        w.Close();
        return w.ToString();
    }

    public static string EmitCatalog(IReadOnlyList<MessageSpec> messages)
    {
        var apis = Apis(messages);
        var w = new CodeWriter();
        GeneratedHeader.Write(w);
        w.Open("public static partial class ApiCatalog");
        w.Line("private static readonly ApiSpec[] Specs =");
        w.Line("[");
        foreach (var api in apis)
        {
            var flexible = api.Request.FlexibleVersions.IsEmpty ? "short.MaxValue" : api.Request.FlexibleVersions.Low.ToString();
            var forBroker = api.Request.Listeners.Contains("broker") ? "true" : "false";
            var forController = api.Request.Listeners.Contains("controller") ? "true" : "false";
            w.Line($"    new(ApiKey.{api.Name}, \"{api.Name}\", {api.Request.ValidVersions.Low}, {api.Request.ValidVersions.High}, {flexible}, {forBroker}, {forController}),");
        }
        w.Line("];");
        w.Line();
        w.Line("private static readonly ApiSpec?[] ByKey = BuildIndex();");
        w.Line();
        w.Line("public static IReadOnlyList<ApiSpec> All => Specs;");
        w.Line();
        w.Open("private static ApiSpec?[] BuildIndex()");
        w.Line($"var index = new ApiSpec?[{apis.Max(a => a.Key) + 1}];");
        w.Open("foreach (var spec in Specs)");
        w.Line("index[(int)spec.Key] = spec;");
        w.Close();
        w.Line("return index;");
        w.Close();
        w.Line();
        w.Open("public static bool TryGet(short apiKey, out ApiSpec spec)");
        w.Open("if (apiKey >= 0 && apiKey < ByKey.Length && ByKey[apiKey] is { } found)");
        w.Line("spec = found;");
        w.Line("return true;");
        w.Close();
        w.Line("spec = default;");
        w.Line("return false;");
        w.Close();
        EmitDispatch(w, apis, "Request", "IRequestMessage", a => a.Request);
        EmitDispatch(w, apis, "Response", "IResponseMessage", a => a.Response);
        w.Close();
        return w.ToString();
    }

    private static void EmitDispatch(CodeWriter w, List<Api> apis, string suffix, string type, Func<Api, MessageSpec> pick)
    {
        w.Line();
        w.Open($"public static {type} Read{suffix}(ApiKey key, short version, ref KafkaReader reader)");
        w.Open("switch (key)");
        foreach (var api in apis)
        {
            var message = pick(api);
            w.Line($"case ApiKey.{api.Name}:");
            w.Line($"    CheckVersion(key, version, {message.ValidVersions.Low}, {message.ValidVersions.High});");
            w.Line($"    return {message.Name}.Read(ref reader, version);");
        }
        w.Line("default:");
        w.Line($"    throw new MalformedMessageException($\"Unknown API key {{(short)key}}.\");");
        w.Close();
        w.Close();
    }

    public static string EmitErrorCode(IReadOnlyList<ErrorCodeSpec> codes)
    {
        var w = new CodeWriter();
        GeneratedHeader.Write(w, usesPrimitives: false);
        w.Open("public enum ErrorCode : short");
        foreach (var code in codes)
        {
            w.Line($"{Naming.FromSnake(code.Name)} = {code.Code},");
        }
        w.Close();
        w.Line();
        w.Open("public static partial class ErrorCodes");
        w.Line("/// <summary>The name Kafka uses for the code, e.g. UNKNOWN_TOPIC_OR_PARTITION.</summary>");
        w.Line("public static string KafkaName(ErrorCode code) => code switch");
        w.Line("{");
        foreach (var code in codes)
        {
            w.Line($"    ErrorCode.{Naming.FromSnake(code.Name)} => \"{code.Name}\",");
        }
        w.Line("    _ => $\"UNKNOWN_ERROR_CODE_{(short)code}\",");
        w.Line("};");
        w.Close();
        return w.ToString();
    }
}
