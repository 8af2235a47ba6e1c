using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PerfReference.Performance;

namespace PerfReference.OrdersService.Infrastructure;

/// <summary>
/// Counts the database commands a request runs synchronously (<c>ToList()</c>, <c>SaveChanges()</c>,
/// <c>ExecuteUpdate()</c> instead of their async twins): each one holds a thread-pool thread while
/// PostgreSQL answers. EF Core calls the synchronous hooks only for synchronous commands, so the
/// count is exact; the asynchronous hooks are left alone.
/// </summary>
public sealed class BlockingCommandCounter : DbCommandInterceptor
{
    public static BlockingCommandCounter Instance { get; } = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        PerfRequest.Current?.Counters.CountBlockingCall();
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        PerfRequest.Current?.Counters.CountBlockingCall();
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        PerfRequest.Current?.Counters.CountBlockingCall();
        return result;
    }
}
