using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerfReference.OrdersService.Products.Import;

/// <summary>
/// Reads an import in JSON Lines (one product object per line, <c>application/x-ndjson</c>) and checks every line
/// as it comes: a line that is not a product, or that repeats an earlier line's SKU, stops the import with a
/// <see cref="ProductImportException"/> naming the line. Both variants of <c>bulk-insert</c> read through it, so
/// they accept and refuse the same imports.
/// </summary>
public static class ProductImportReader
{
    public const string ContentType = "application/x-ndjson";

    /// <summary>More lines than this is a feed to split, not one import.</summary>
    public const int MaxRows = 200_000;

    public static async IAsyncEnumerable<ProductImportRow> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        var firstLineOfSku = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        while (await ReadLineAsync(reader, number + 1, ct) is { } text)
        {
            if (++number > MaxRows)
            {
                throw new ProductImportException(number, $"an import has at most {MaxRows} lines; split the feed.");
            }

            var row = Parse(text, number);
            if (!firstLineOfSku.TryAdd(row.Sku, number))
            {
                throw new ProductImportException(number, $"sku '{row.Sku}' is already on line {firstLineOfSku[row.Sku]}.");
            }

            yield return row;
        }

        if (number == 0)
        {
            throw new ProductImportException(0, "The import has no lines: send one JSON object per line.");
        }
    }

    /// <summary>One line, checked field by field; the first problem found is the one reported.</summary>
    public static ProductImportRow Parse(string text, int line)
    {
        ImportLine? fields;
        try
        {
            fields = JsonSerializer.Deserialize(text, ProductImportJson.Default.ImportLine);
        }
        catch (JsonException error)
        {
            throw new ProductImportException(line, string.IsNullOrWhiteSpace(text)
                ? "the line is empty; every line is one product object."
                : $"not a product object: {Brief(error)}");
        }

        if (fields is null)
        {
            throw new ProductImportException(line, "the line is null; every line is one product object.");
        }

        return new ProductImportRow(
            line,
            Required(fields.Sku, "sku", 64, line),
            Required(fields.Name, "name", 200, line),
            Required(fields.Category, "category", 100, line),
            fields.PriceMinor is { } price and > 0 ? price : throw new ProductImportException(line,
                fields.PriceMinor is null ? "priceMinor is required." : "priceMinor must be a positive number of cents."),
            fields.IsActive ?? true);
    }

    private static async Task<string?> ReadLineAsync(StreamReader reader, int line, CancellationToken ct)
    {
        try
        {
            return await reader.ReadLineAsync(ct);
        }
        catch (DecoderFallbackException)
        {
            throw new ProductImportException(line, "the line is not UTF-8.");
        }
    }

    private static string Required(string? value, string field, int maxLength, int line) => value switch
    {
        null => throw new ProductImportException(line, $"{field} is required."),
        _ when string.IsNullOrWhiteSpace(value) => throw new ProductImportException(line, $"{field} must not be blank."),
        _ when value.Length > maxLength => throw new ProductImportException(line, $"{field} is at most {maxLength} characters."),
        _ => value.Trim(),
    };

    /// <summary>System.Text.Json's message without the path and position it appends for a whole document.</summary>
    private static string Brief(JsonException error)
    {
        var message = error.Message;
        var path = message.IndexOf(" Path:", StringComparison.Ordinal);
        return path > 0 ? message[..path] : message;
    }
}

/// <summary>A line as sent; every field optional here, so that a missing one is reported by name rather than as a JSON error.</summary>
internal sealed record ImportLine(string? Sku, string? Name, string? Category, long? PriceMinor, bool? IsActive);

/// <summary>Strict: an unknown field or a number written as a string is the sender's mistake, not something to guess at.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ImportLine))]
internal sealed partial class ProductImportJson : JsonSerializerContext;
