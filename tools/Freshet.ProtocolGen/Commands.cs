namespace Freshet.ProtocolGen;

internal static class Commands
{
    /// <summary>Kafka JSON definitions to our Schema folder (facts only).</summary>
    public static int Import(string kafkaDir)
    {
        var messages = SchemaImporter.ReadMessages(kafkaDir);
        var codes = SchemaImporter.ReadErrorCodes(kafkaDir);
        var files = messages.ToDictionary(m => m.Name + ".schema", SchemaWriter.Write);
        files["ErrorCodes.schema"] = SchemaWriter.WriteErrorCodes(codes);
        OutputFolder.Write(RepoPaths.SchemaDir, files, "*.schema");
        Console.WriteLine($"Imported {messages.Count} message(s) and {codes.Count} error code(s) into {RepoPaths.SchemaDir}.");
        return 0;
    }

    /// <summary>Our Schema folder to C#; with check, only verifies the committed files match.</summary>
    public static int Generate(bool check)
    {
        var messages = SchemaParser.ReadAll(RepoPaths.SchemaDir);
        if (Directory.Exists(RepoPaths.MetadataSchemaDir))
        {
            messages = [.. messages.Concat(SchemaParser.ReadAll(RepoPaths.MetadataSchemaDir)).OrderBy(m => m.Name, StringComparer.Ordinal)];
        }
        var duplicate = messages.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"{duplicate.Key} is defined twice in the schema folders.");
        }
        var codes = SchemaParser.ReadErrorCodes(RepoPaths.SchemaDir);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            files[message.Name + ".cs"] = new MessageEmitter(MessageModel.Build(message)).Emit();
        }
        files["ApiKey.cs"] = CatalogEmitter.EmitApiKey(messages);
        files["ApiCatalog.cs"] = CatalogEmitter.EmitCatalog(messages);
        files["ErrorCode.cs"] = CatalogEmitter.EmitErrorCode(codes);
        if (check)
        {
            var differences = OutputFolder.Compare(RepoPaths.GeneratedDir, files, "*.cs");
            foreach (var difference in differences)
            {
                Console.Error.WriteLine(difference);
            }
            Console.WriteLine(differences.Count == 0 ? $"{files.Count} generated file(s) are up to date." : "Generated code is stale: run 'generate'.");
            return differences.Count == 0 ? 0 : 1;
        }
        OutputFolder.Write(RepoPaths.GeneratedDir, files, "*.cs");
        Console.WriteLine($"Wrote {files.Count} file(s) to {RepoPaths.GeneratedDir}.");
        return 0;
    }
}
