using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Atiende.Server.Data.Migrations.Postgres
{
    /// <summary>
    /// Articles' search vector covers the first 100,000 characters of the body: a tsvector holds at most 1 MB, which a
    /// body of many distinct words (a pasted log) overflowed, failing the insert.
    /// </summary>
    public partial class ArticleSearchPrefix : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "Articles",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('simple', left(\"BodyText\", 100000))",
                stored: true,
                oldClrType: typeof(NpgsqlTsVector),
                oldType: "tsvector",
                oldNullable: true,
                oldComputedColumnSql: "to_tsvector('simple', \"BodyText\")",
                oldStored: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "Articles",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('simple', \"BodyText\")",
                stored: true,
                oldClrType: typeof(NpgsqlTsVector),
                oldType: "tsvector",
                oldNullable: true,
                oldComputedColumnSql: "to_tsvector('simple', left(\"BodyText\", 100000))",
                oldStored: true);
        }
    }
}
