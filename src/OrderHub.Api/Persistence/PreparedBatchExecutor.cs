#pragma warning disable EF1001 // BatchExecutor is EF's own internal service; this only changes when its input is enumerated.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Update;
using Microsoft.EntityFrameworkCore.Update.Internal;

namespace OrderHub.Api.Persistence;

/// <summary>
/// SQLite's EF provider sends one statement a command, and builds each command (its SQL and parameters) only when
/// the previous one has run: inside the transaction, so on SQLite under the one writer lock and the
/// <see cref="WriteGate"/>. This executor builds them all first, then begins the transaction, so the gate is held
/// only to run them. That is safe only where no row's foreign key takes a value the database generates for
/// another row of the same save (a lazy build reads it after that row is inserted): in a model where some foreign
/// key points to a key the database generates, it builds them lazily as EF does. OrderHub's only such key
/// (<c>OrderActions.Id</c>) is referred to by nothing.
/// </summary>
public sealed class PreparedBatchExecutor(ICurrentDbContext currentContext, IDiagnosticsLogger<DbLoggerCategory.Update> updateLogger) : BatchExecutor(currentContext, updateLogger)
{
    public override int Execute(IEnumerable<ModificationCommandBatch> commandBatches, IRelationalConnection connection) =>
        base.Execute(Prepared(commandBatches), connection);

    public override Task<int> ExecuteAsync(IEnumerable<ModificationCommandBatch> commandBatches, IRelationalConnection connection, CancellationToken cancellationToken = default) =>
        base.ExecuteAsync(Prepared(commandBatches), connection, cancellationToken);

    private IEnumerable<ModificationCommandBatch> Prepared(IEnumerable<ModificationCommandBatch> commandBatches) =>
        BuildsFirst(CurrentContext.Context.Model) ? [.. commandBatches] : commandBatches;

    /// <summary>Whether no foreign key of <paramref name="model"/> points to a key the database generates.</summary>
    public static bool BuildsFirst(IModel model) => (bool)model.GetOrAddRuntimeAnnotationValue(
        "OrderHub:BatchesBuiltFirst",
        static m => !m!.GetEntityTypes().SelectMany(e => e.GetForeignKeys())
            .Any(fk => fk.PrincipalKey.Properties.Any(p => p.ValueGenerated != ValueGenerated.Never && p.ClrType != typeof(Guid))),
        model)!;
}
