#include "arxivc/taxonomy/taxonomy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "arxivc/core/error.hpp"

namespace arxivc::taxonomy {
namespace {

using Codes = std::vector<std::string>;

std::filesystem::path shared_data_dir() {
  if (const char* dir = std::getenv("ARXIVC_DATA_DIR"); dir != nullptr && *dir != '\0') return dir;
  return ARXIVC_SHARED_DATA_DEFAULT;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
    fields.push_back(line.substr(start, tab - start));
  }
  fields.push_back(line.substr(start));
  return fields;
}

const Taxonomy& builtin() { return Taxonomy::builtin(); }

// ---- the built-in table against the shared reference file -------------------------------------------------

TEST(TaxonomyTable, MatchesSharedReferenceFile) {
  const std::filesystem::path path = shared_data_dir() / "arxiv-taxonomy.tsv";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot open " << path << " (set ARXIVC_DATA_DIR to the shared data directory)";

  std::string line;
  ASSERT_TRUE(std::getline(in, line)) << path << ": empty file";
  const std::vector<std::string> header = split_tabs(line);
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  for (const char* name : {"code", "name", "archive", "archive_name", "group", "group_name", "active",
                           "alias_of", "subsumed_by"}) {
    ASSERT_TRUE(column.contains(name)) << path << ": no column '" << name << "'";
  }

  std::vector<std::string> mismatches;
  std::set<std::string> reference_codes;
  for (std::size_t line_number = 2; std::getline(in, line); ++line_number) {
    if (line.empty()) continue;
    const std::vector<std::string> fields = split_tabs(line);
    ASSERT_EQ(fields.size(), header.size()) << path << ":" << line_number << ": wrong number of fields";
    const auto field = [&](const char* name) { return fields[column.at(name)]; };
    const std::string code = field("code");
    reference_codes.insert(code);
    const Category* category = builtin().find(code);
    if (category == nullptr) {
      mismatches.push_back(code + ": not in the built-in table");
      continue;
    }
    const auto compare = [&](const char* name, const std::string& ours) {
      if (field(name) != ours)
        mismatches.push_back(code + ": " + name + " '" + ours + "', reference '" + field(name) + "'");
    };
    compare("name", category->name);
    compare("archive", category->archive);
    compare("archive_name", category->archive_name);
    compare("group", category->group);
    compare("group_name", category->group_name);
    compare("active", category->active ? "True" : "False");
    compare("alias_of", category->alias_of);
    compare("subsumed_by", category->subsumed_by);
  }
  for (const Category& category : builtin().categories()) {
    if (!reference_codes.contains(category.code))
      mismatches.push_back(category.code + ": not in the reference file");
  }

  std::ostringstream report;
  for (const std::string& mismatch : mismatches) report << "\n  " << mismatch;
  EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " differences from " << path << ":" << report.str();
  EXPECT_EQ(builtin().categories().size(), reference_codes.size());
}

TEST(TaxonomyTable, EveryCodeInRealMetadataIsKnown) {
  const std::filesystem::path path = shared_data_dir() / "arxiv-metadata-5k.json";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot open " << path << " (set ARXIVC_DATA_DIR to the shared data directory)";

  std::set<std::string> unknown;
  std::size_t papers = 0;
  std::string line;
  for (std::size_t line_number = 1; std::getline(in, line); ++line_number) {
    const nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(record.is_object()) << path << ":" << line_number << ": not a JSON object";
    ASSERT_TRUE(record.contains("categories") && record["categories"].is_string())
        << path << ":" << line_number << ": no categories string";
    const std::string categories = record["categories"].get<std::string>();
    const Normalized normalized = builtin().normalize(categories);
    unknown.insert(normalized.unknown.begin(), normalized.unknown.end());
    ASSERT_FALSE(normalized.codes.empty()) << path << ":" << line_number << ": '" << categories << "'";
    // The primary category stays first.
    const std::string primary = categories.substr(0, categories.find(' '));
    EXPECT_EQ(normalized.codes.front(), builtin().canonical(primary)) << path << ":" << line_number;
    ++papers;
  }
  EXPECT_EQ(papers, 5000u);
  std::string listed;
  for (const std::string& code : unknown) listed += " " + code;
  EXPECT_TRUE(unknown.empty()) << "codes unknown to the taxonomy:" << listed;
}

TEST(TaxonomyTable, HasArxivsShape) {
  const std::vector<Category>& categories = builtin().categories();
  EXPECT_EQ(categories.size(), 176u);
  EXPECT_EQ(std::count_if(categories.begin(), categories.end(), [](const Category& c) { return c.active; }),
            155);
  EXPECT_EQ(builtin().archives().size(), 38u);
  EXPECT_EQ(builtin().groups().size(), 8u);
  EXPECT_EQ(builtin().find_group("grp_test"), nullptr);
  EXPECT_EQ(builtin().find("test"), nullptr);
  EXPECT_EQ(builtin().find("test.dis-nn"), nullptr);
  // 176 codes less 6 aliases and 18 subsumed legacy archives.
  EXPECT_EQ(builtin().canonical_codes().size(), 152u);
}

TEST(TaxonomyTable, EveryCodeReachesACanonicalCode) {
  for (const Category& category : builtin().categories()) {
    const std::string_view canonical = builtin().canonical(category.code);
    ASSERT_FALSE(canonical.empty()) << category.code;
    EXPECT_TRUE(builtin().is_canonical(canonical)) << category.code << " -> " << canonical;
    EXPECT_EQ(builtin().canonical(canonical), canonical);
  }
  for (const std::string_view code : builtin().canonical_codes()) EXPECT_EQ(builtin().canonical(code), code);
}

TEST(TaxonomyTable, BuiltinIsBuiltOnceAcrossThreads) {
  std::vector<const Taxonomy*> seen(8, nullptr);
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 0; i < seen.size(); ++i)
      threads.emplace_back([&seen, i] { seen[i] = &Taxonomy::builtin(); });
  }
  for (const Taxonomy* taxonomy : seen) EXPECT_EQ(taxonomy, &Taxonomy::builtin());
}

// ---- canonical
// ---------------------------------------------------------------------------------------------

TEST(TaxonomyCanonical, AliasesGoToTheirCanonicalSide) {
  EXPECT_EQ(builtin().canonical("math.IT"), "cs.IT");
  EXPECT_EQ(builtin().canonical("math.MP"), "math-ph");
  EXPECT_EQ(builtin().canonical("stat.TH"), "math.ST");
  EXPECT_EQ(builtin().canonical("q-fin.EC"), "econ.GN");
  EXPECT_EQ(builtin().canonical("cs.SY"), "eess.SY");
  EXPECT_EQ(builtin().canonical("cs.NA"), "math.NA");
  EXPECT_EQ(builtin().canonical("cs.IT"), "cs.IT");
  EXPECT_FALSE(builtin().is_canonical("math.IT"));
  EXPECT_TRUE(builtin().is_canonical("cs.IT"));
}

TEST(TaxonomyCanonical, LegacyArchivesGoToTheirSuccessor) {
  EXPECT_EQ(builtin().canonical("cmp-lg"), "cs.CL");
  EXPECT_EQ(builtin().canonical("solv-int"), "nlin.SI");
  EXPECT_EQ(builtin().canonical("alg-geom"), "math.AG");
  EXPECT_EQ(builtin().canonical("mtrl-th"), "cond-mat.mtrl-sci");
  EXPECT_EQ(builtin().canonical("bayes-an"), "physics.data-an");
  const Category* legacy = builtin().find("cmp-lg");
  ASSERT_NE(legacy, nullptr);
  EXPECT_FALSE(legacy->active);
  EXPECT_EQ(legacy->group, "grp_cs");
}

TEST(TaxonomyCanonical, BareArchiveCodesWithoutSuccessorStayCanonical) {
  for (const char* code : {"astro-ph", "cond-mat", "q-bio"}) {
    EXPECT_EQ(builtin().canonical(code), code);
    const Category* category = builtin().find(code);
    ASSERT_NE(category, nullptr) << code;
    EXPECT_FALSE(category->active) << code;
  }
}

TEST(TaxonomyCanonical, UnknownCodesHaveNone) {
  EXPECT_EQ(builtin().canonical("cs.XX"), "");
  EXPECT_EQ(builtin().canonical("CS.LG"), "");  // codes are case-sensitive, as arXiv's are
  EXPECT_EQ(builtin().canonical(""), "");
  EXPECT_EQ(builtin().canonical("cs"), "");  // an archive, not a category
  EXPECT_EQ(builtin().find("cs.XX"), nullptr);
  EXPECT_FALSE(builtin().is_canonical("cs.XX"));
}

// ---- normalize
// ---------------------------------------------------------------------------------------------

TEST(TaxonomyNormalize, KeepsSourceOrderWithThePrimaryFirst) {
  EXPECT_EQ(builtin().normalize("hep-th math.QA").codes, (Codes{"hep-th", "math.QA"}));
  EXPECT_EQ(builtin().normalize("stat.ML cs.LG cs.AI").codes, (Codes{"stat.ML", "cs.LG", "cs.AI"}));
}

TEST(TaxonomyNormalize, RemovesDuplicatesLeftByCanonicalisation) {
  EXPECT_EQ(builtin().normalize("cs.IT math.IT").codes, (Codes{"cs.IT"}));
  EXPECT_EQ(builtin().normalize("math.IT cs.LG cs.IT").codes, (Codes{"cs.IT", "cs.LG"}));
  EXPECT_EQ(builtin().normalize("cmp-lg cs.CL").codes, (Codes{"cs.CL"}));
  EXPECT_EQ(builtin().normalize("solv-int nlin.SI math.MP math-ph").codes, (Codes{"nlin.SI", "math-ph"}));
  EXPECT_EQ(builtin().normalize("cs.LG cs.LG").codes, (Codes{"cs.LG"}));
}

TEST(TaxonomyNormalize, ReportsUnknownCodesInSourceOrder) {
  const Normalized normalized = builtin().normalize("cs.LG foo.BAR cs.AI zzz foo.BAR");
  EXPECT_EQ(normalized.codes, (Codes{"cs.LG", "cs.AI"}));
  EXPECT_EQ(normalized.unknown, (Codes{"foo.BAR", "zzz"}));
  const Normalized all_unknown = builtin().normalize("nonsense");
  EXPECT_TRUE(all_unknown.codes.empty());
  EXPECT_EQ(all_unknown.unknown, (Codes{"nonsense"}));
}

TEST(TaxonomyNormalize, SplitsOnAnyWhitespace) {
  const Normalized normalized = builtin().normalize("  cs.LG\t\tstat.ML \n math.IT\r\n");
  EXPECT_EQ(normalized.codes, (Codes{"cs.LG", "stat.ML", "cs.IT"}));
  EXPECT_TRUE(normalized.unknown.empty());
  EXPECT_TRUE(builtin().normalize("").codes.empty());
  EXPECT_TRUE(builtin().normalize(" \t\n").codes.empty());
  EXPECT_TRUE(builtin().normalize(" \t\n").unknown.empty());
}

// ---- archives and groups
// -----------------------------------------------------------------------------------

TEST(TaxonomyArchives, CodesMapToArchivesAndGroups) {
  EXPECT_EQ(builtin().archive_of("cs.LG"), "cs");
  EXPECT_EQ(builtin().archive_of("hep-th"), "hep-th");
  EXPECT_EQ(builtin().archive_of("math.IT"), "math");
  EXPECT_EQ(builtin().archive_of("cs.XX"), "");
  EXPECT_EQ(builtin().group_of("hep-th"), "grp_physics");
  EXPECT_EQ(builtin().group_of("econ.GN"), "grp_econ");
  EXPECT_EQ(builtin().group_of("cs.XX"), "");
}

TEST(TaxonomyArchives, LookUpByCodeOrName) {
  EXPECT_EQ(builtin().archive_name("hep-th"), "High Energy Physics - Theory");
  EXPECT_EQ(builtin().archive_name("cmp-lg"), "Computation and Language");
  EXPECT_EQ(builtin().archive_name("nope"), "");
  EXPECT_EQ(builtin().group_name("grp_eess"), "Electrical Engineering and Systems Science");
  EXPECT_EQ(builtin().group_name("nope"), "");

  const Archive* nlin = builtin().find_archive_by_name("Nonlinear Sciences");
  ASSERT_NE(nlin, nullptr);
  EXPECT_EQ(nlin->code, "nlin");
  EXPECT_EQ(nlin->group, "grp_physics");
  const Archive* cs = builtin().find_archive("cs");
  ASSERT_NE(cs, nullptr);
  EXPECT_EQ(cs->name, "Computer Science");
  const Group* econ = builtin().find_group_by_name("Economics");
  ASSERT_NE(econ, nullptr);
  EXPECT_EQ(econ->id, "grp_econ");
  EXPECT_EQ(builtin().find_archive("nope"), nullptr);
  EXPECT_EQ(builtin().find_archive_by_name("nope"), nullptr);
  EXPECT_EQ(builtin().find_group_by_name("nope"), nullptr);
}

TEST(TaxonomyArchives, EveryCategoryArchiveAndGroupIsListed) {
  for (const Category& category : builtin().categories()) {
    const Archive* archive = builtin().find_archive(category.archive);
    ASSERT_NE(archive, nullptr) << category.code;
    EXPECT_EQ(archive->name, category.archive_name);
    EXPECT_EQ(archive->group, category.group);
    EXPECT_EQ(builtin().group_name(category.group), category.group_name);
  }
}

// ---- tables other than the built-in one
// --------------------------------------------------------------------

Category make(std::string code, std::string alias_of = "", std::string subsumed_by = "",
              std::string archive = "x", std::string archive_name = "X") {
  return Category{.code = std::move(code),
                  .name = "Name",
                  .archive = std::move(archive),
                  .archive_name = std::move(archive_name),
                  .group = "grp_x",
                  .group_name = "Group X",
                  .active = true,
                  .alias_of = std::move(alias_of),
                  .subsumed_by = std::move(subsumed_by)};
}

std::string construction_error(std::vector<Category> categories) {
  try {
    Taxonomy taxonomy(std::move(categories));
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(TaxonomyConstruction, FollowsChainsOfAliasesAndSuccessors) {
  const Taxonomy taxonomy({make("old"), make("x.A", "x.B"), make("x.B"), make("old-arch", "", "x.A")});
  EXPECT_EQ(taxonomy.canonical("old-arch"), "x.B");
  EXPECT_EQ(taxonomy.canonical("x.A"), "x.B");
  EXPECT_EQ(taxonomy.canonical("old"), "old");
  EXPECT_EQ(taxonomy.normalize("old-arch x.B x.A").codes, (Codes{"x.B"}));
}

TEST(TaxonomyConstruction, RejectsLoops) {
  const std::string loop = construction_error({make("a", "b"), make("b", "", "a")});
  EXPECT_NE(loop.find("loops"), std::string::npos) << loop;
  EXPECT_NE(loop.find("'a'"), std::string::npos) << loop;
  const std::string self = construction_error({make("a", "a")});
  EXPECT_NE(self.find("loops"), std::string::npos) << self;
}

TEST(TaxonomyConstruction, RejectsBadTables) {
  EXPECT_NE(construction_error({make("a", "missing")}).find("'missing', which is not a category code"),
            std::string::npos);
  EXPECT_NE(construction_error({make("a"), make("a")}).find("'a' appears more than once"), std::string::npos);
  EXPECT_NE(construction_error({make("")}).find("empty code"), std::string::npos);
  EXPECT_NE(construction_error({make("a b")}).find("whitespace"), std::string::npos);
  EXPECT_NE(
      construction_error({make("a", "", "", "x", "X"), make("b", "", "", "x", "Other")}).find("archive 'x'"),
      std::string::npos);
  EXPECT_NE(construction_error({make("a", "", "", "x", "X"), make("b", "", "", "y", "X")})
                .find("two archives are named 'X'"),
            std::string::npos);
  EXPECT_EQ(construction_error({make("a"), make("b", "a")}), "");
}

}  // namespace
}  // namespace arxivc::taxonomy
