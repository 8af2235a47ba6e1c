using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace PerfReference.OrdersService.Database;

/// <summary>
/// What PostgreSQL did for one query, from its plan in JSON (EXPLAIN (FORMAT JSON), or auto_explain's JSON):
/// the plan's top node, the node that read <see cref="Relation"/> (a Seq Scan, an Index Scan, a Bitmap Heap Scan
/// over a Bitmap Index Scan) with the index it used, the rows the planner expected and the rows that came, and the
/// buffers the query touched (with ANALYZE and BUFFERS).
/// </summary>
public sealed record QueryPlan(
    string TopNode, string ScanNode, string Relation, string? Index, double EstimatedRows, long? ActualRows, long? SharedHitBlocks, long? SharedReadBlocks)
{
    /// <summary>"Seq Scan on orders", "Index Scan using ix_orders_created_at_id on orders": how EXPLAIN's text format names the node.</summary>
    public string Describe() => Index is null ? $"{ScanNode} on {Relation}" : $"{ScanNode} using {Index} on {Relation}";

    /// <summary>Reads a plan document: EXPLAIN's array of one <c>{ "Plan": … }</c>, or auto_explain's object with a "Plan".</summary>
    public static QueryPlan? Parse(string json, string relation)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement[0] : document.RootElement;
        if (!root.TryGetProperty("Plan", out var top))
        {
            return null;
        }

        if (FindScan(top, relation) is not { } scan)
        {
            return null;
        }

        var scanNode = scan.GetProperty("Node Type").GetString()!;
        var index = scan.TryGetProperty("Index Name", out var name) ? name.GetString() : BitmapIndex(scan);
        long? actualRows = scan.TryGetProperty("Actual Rows", out var rows)
            ? (long)Math.Round(rows.GetDouble() * (scan.TryGetProperty("Actual Loops", out var loops) ? loops.GetDouble() : 1))
            : null;
        return new QueryPlan(
            top.GetProperty("Node Type").GetString()!,
            scanNode,
            relation,
            index,
            scan.GetProperty("Plan Rows").GetDouble(),
            actualRows,
            Blocks(top, "Shared Hit Blocks"),
            Blocks(top, "Shared Read Blocks"));
    }

    /// <summary>The plan on a span: tags to filter by on the Traces page, and an event that reads like EXPLAIN's line.</summary>
    public void Tag(Activity? activity)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("db.plan.top_node", TopNode);
        activity.SetTag("db.plan.scan", Describe());
        activity.SetTag("db.plan.rows.estimated", EstimatedRows);
        activity.SetTag("db.plan.rows.actual", ActualRows);
        activity.SetTag("db.plan.buffers.shared_hit", SharedHitBlocks);
        activity.SetTag("db.plan.buffers.shared_read", SharedReadBlocks);
        activity.AddEvent(new ActivityEvent("db.query_plan", tags: new ActivityTagsCollection
        {
            ["db.plan.top_node"] = TopNode,
            ["db.plan.scan"] = Describe(),
            ["db.plan.rows"] = string.Create(CultureInfo.InvariantCulture, $"estimated {EstimatedRows:0}, actual {ActualRows}"),
            ["db.plan.buffers"] = $"shared hit {SharedHitBlocks}, read {SharedReadBlocks}",
        }));
    }

    /// <summary>Depth first, as EXPLAIN prints it: the first node that reads the relation.</summary>
    private static JsonElement? FindScan(JsonElement node, string relation)
    {
        if (node.TryGetProperty("Relation Name", out var name) && name.GetString() == relation)
        {
            return node;
        }

        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                if (FindScan(child, relation) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    /// <summary>A Bitmap Heap Scan names no index itself; its Bitmap Index Scan (or a BitmapAnd/Or of them) does.</summary>
    private static string? BitmapIndex(JsonElement node)
    {
        if (!node.TryGetProperty("Plans", out var children))
        {
            return null;
        }

        foreach (var child in children.EnumerateArray())
        {
            if (child.TryGetProperty("Index Name", out var name))
            {
                return name.GetString();
            }

            if (BitmapIndex(child) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }

    private static long? Blocks(JsonElement node, string property) =>
        node.TryGetProperty(property, out var value) ? value.GetInt64() : null;
}
