// arXiv's category taxonomy as source data.
//
// Source: arXiv/arxiv-base (https://github.com/arXiv/arxiv-base), arxiv/taxonomy/definitions.py,
// commit 53735714229cf5f6ec7e24d5a05deb2e605566b3: GROUPS, ARCHIVES, CATEGORIES, CATEGORY_ALIASES and
// ARCHIVES_SUBSUMED. arxiv-base is MIT licensed, Copyright (c) Cornell University.
//
// Written from that file by hand, with these choices:
// - The test group (grp_test), its archive and its categories (test, test.*) are left out: they are not
//   subjects a paper can be classified into.
// - `alias_of` is set on the alias side of each CATEGORY_ALIASES pair (math.IT -> cs.IT); the canonical
//   side has it empty, as in arXiv's own canonicalisation.
// - `subsumed_by` is set on the defunct archives of ARCHIVES_SUBSUMED, which old papers carry as category
//   codes (cmp-lg -> cs.CL).
// - The bare archive codes astro-ph, cond-mat and q-bio (LEGACY_ARCHIVE_AS_PRIMARY / _SECONDARY), which
//   papers carry from before these archives had subject classes, are inactive categories without a
//   successor: no single subject class replaces them, so they stay canonical codes of their own.
// - `active` is CATEGORIES' is_active.
// To update, see docs/taxonomy.md.

#include "builtin_table.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

#include "arxivc/core/error.hpp"

namespace arxivc::taxonomy {
namespace {

struct GroupRow {
  std::string_view id;
  std::string_view name;
};

struct ArchiveRow {
  std::string_view code;
  std::string_view name;
  std::string_view group;
};

struct CategoryRow {
  std::string_view code;
  std::string_view name;
  std::string_view archive;
  bool active;
  std::string_view alias_of;
  std::string_view subsumed_by;
};

constexpr bool kActive = true;
constexpr bool kInactive = false;

// clang-format off
constexpr GroupRow kGroups[] = {
    {"grp_physics", "Physics"},
    {"grp_math",    "Mathematics"},
    {"grp_q-bio",   "Quantitative Biology"},
    {"grp_cs",      "Computer Science"},
    {"grp_q-fin",   "Quantitative Finance"},
    {"grp_stat",    "Statistics"},
    {"grp_eess",    "Electrical Engineering and Systems Science"},
    {"grp_econ",    "Economics"},
};

constexpr ArchiveRow kArchives[] = {
    {"acc-phys", "Accelerator Physics",                            "grp_physics"},
    {"adap-org", "Adaptation, Noise, and Self-Organizing Systems", "grp_physics"},
    {"alg-geom", "Algebraic Geometry",                             "grp_math"},
    {"ao-sci",   "Atmospheric-Oceanic Sciences",                   "grp_physics"},
    {"astro-ph", "Astrophysics",                                   "grp_physics"},
    {"atom-ph",  "Atomic, Molecular and Optical Physics",          "grp_physics"},
    {"bayes-an", "Bayesian Analysis",                              "grp_physics"},
    {"chao-dyn", "Chaotic Dynamics",                               "grp_physics"},
    {"chem-ph",  "Chemical Physics",                               "grp_physics"},
    {"cmp-lg",   "Computation and Language",                       "grp_cs"},
    {"comp-gas", "Cellular Automata and Lattice Gases",            "grp_physics"},
    {"cond-mat", "Condensed Matter",                               "grp_physics"},
    {"cs",       "Computer Science",                               "grp_cs"},
    {"dg-ga",    "Differential Geometry",                          "grp_math"},
    {"econ",     "Economics",                                      "grp_econ"},
    {"eess",     "Electrical Engineering and Systems Science",     "grp_eess"},
    {"funct-an", "Functional Analysis",                            "grp_math"},
    {"gr-qc",    "General Relativity and Quantum Cosmology",       "grp_physics"},
    {"hep-ex",   "High Energy Physics - Experiment",               "grp_physics"},
    {"hep-lat",  "High Energy Physics - Lattice",                  "grp_physics"},
    {"hep-ph",   "High Energy Physics - Phenomenology",            "grp_physics"},
    {"hep-th",   "High Energy Physics - Theory",                   "grp_physics"},
    {"math",     "Mathematics",                                    "grp_math"},
    {"math-ph",  "Mathematical Physics",                           "grp_physics"},
    {"mtrl-th",  "Materials Theory",                               "grp_physics"},
    {"nlin",     "Nonlinear Sciences",                             "grp_physics"},
    {"nucl-ex",  "Nuclear Experiment",                             "grp_physics"},
    {"nucl-th",  "Nuclear Theory",                                 "grp_physics"},
    {"patt-sol", "Pattern Formation and Solitons",                 "grp_physics"},
    {"physics",  "Physics",                                        "grp_physics"},
    {"plasm-ph", "Plasma Physics",                                 "grp_physics"},
    {"q-alg",    "Quantum Algebra and Topology",                   "grp_math"},
    {"q-bio",    "Quantitative Biology",                           "grp_q-bio"},
    {"q-fin",    "Quantitative Finance",                           "grp_q-fin"},
    {"quant-ph", "Quantum Physics",                                "grp_physics"},
    {"solv-int", "Exactly Solvable and Integrable Systems",        "grp_physics"},
    {"stat",     "Statistics",                                     "grp_stat"},
    {"supr-con", "Superconductivity",                              "grp_physics"},
};

// code, name, archive, active, alias_of, subsumed_by
constexpr CategoryRow kCategories[] = {
    {"acc-phys",           "Accelerator Physics",                             "acc-phys", kInactive, "",        "physics.acc-ph"},
    {"adap-org",           "Adaptation, Noise, and Self-Organizing Systems",  "adap-org", kInactive, "",        "nlin.AO"},
    {"alg-geom",           "Algebraic Geometry",                              "alg-geom", kInactive, "",        "math.AG"},
    {"ao-sci",             "Atmospheric-Oceanic Sciences",                    "ao-sci",   kInactive, "",        "physics.ao-ph"},
    {"astro-ph",           "Astrophysics",                                    "astro-ph", kInactive, "",        ""},
    {"astro-ph.CO",        "Cosmology and Nongalactic Astrophysics",          "astro-ph", kActive,   "",        ""},
    {"astro-ph.EP",        "Earth and Planetary Astrophysics",                "astro-ph", kActive,   "",        ""},
    {"astro-ph.GA",        "Astrophysics of Galaxies",                        "astro-ph", kActive,   "",        ""},
    {"astro-ph.HE",        "High Energy Astrophysical Phenomena",             "astro-ph", kActive,   "",        ""},
    {"astro-ph.IM",        "Instrumentation and Methods for Astrophysics",    "astro-ph", kActive,   "",        ""},
    {"astro-ph.SR",        "Solar and Stellar Astrophysics",                  "astro-ph", kActive,   "",        ""},
    {"atom-ph",            "Atomic, Molecular and Optical Physics",           "atom-ph",  kInactive, "",        "physics.atom-ph"},
    {"bayes-an",           "Bayesian Analysis",                               "bayes-an", kInactive, "",        "physics.data-an"},
    {"chao-dyn",           "Chaotic Dynamics",                                "chao-dyn", kInactive, "",        "nlin.CD"},
    {"chem-ph",            "Chemical Physics",                                "chem-ph",  kInactive, "",        "physics.chem-ph"},
    {"cmp-lg",             "Computation and Language",                        "cmp-lg",   kInactive, "",        "cs.CL"},
    {"comp-gas",           "Cellular Automata and Lattice Gases",             "comp-gas", kInactive, "",        "nlin.CG"},
    {"cond-mat",           "Condensed Matter",                                "cond-mat", kInactive, "",        ""},
    {"cond-mat.dis-nn",    "Disordered Systems and Neural Networks",          "cond-mat", kActive,   "",        ""},
    {"cond-mat.mes-hall",  "Mesoscale and Nanoscale Physics",                 "cond-mat", kActive,   "",        ""},
    {"cond-mat.mtrl-sci",  "Materials Science",                               "cond-mat", kActive,   "",        ""},
    {"cond-mat.other",     "Other Condensed Matter",                          "cond-mat", kActive,   "",        ""},
    {"cond-mat.quant-gas", "Quantum Gases",                                   "cond-mat", kActive,   "",        ""},
    {"cond-mat.soft",      "Soft Condensed Matter",                           "cond-mat", kActive,   "",        ""},
    {"cond-mat.stat-mech", "Statistical Mechanics",                           "cond-mat", kActive,   "",        ""},
    {"cond-mat.str-el",    "Strongly Correlated Electrons",                   "cond-mat", kActive,   "",        ""},
    {"cond-mat.supr-con",  "Superconductivity",                               "cond-mat", kActive,   "",        ""},
    {"cs.AI",              "Artificial Intelligence",                         "cs",       kActive,   "",        ""},
    {"cs.AR",              "Hardware Architecture",                           "cs",       kActive,   "",        ""},
    {"cs.CC",              "Computational Complexity",                        "cs",       kActive,   "",        ""},
    {"cs.CE",              "Computational Engineering, Finance, and Science", "cs",       kActive,   "",        ""},
    {"cs.CG",              "Computational Geometry",                          "cs",       kActive,   "",        ""},
    {"cs.CL",              "Computation and Language",                        "cs",       kActive,   "",        ""},
    {"cs.CR",              "Cryptography and Security",                       "cs",       kActive,   "",        ""},
    {"cs.CV",              "Computer Vision and Pattern Recognition",         "cs",       kActive,   "",        ""},
    {"cs.CY",              "Computers and Society",                           "cs",       kActive,   "",        ""},
    {"cs.DB",              "Databases",                                       "cs",       kActive,   "",        ""},
    {"cs.DC",              "Distributed, Parallel, and Cluster Computing",    "cs",       kActive,   "",        ""},
    {"cs.DL",              "Digital Libraries",                               "cs",       kActive,   "",        ""},
    {"cs.DM",              "Discrete Mathematics",                            "cs",       kActive,   "",        ""},
    {"cs.DS",              "Data Structures and Algorithms",                  "cs",       kActive,   "",        ""},
    {"cs.ET",              "Emerging Technologies",                           "cs",       kActive,   "",        ""},
    {"cs.FL",              "Formal Languages and Automata Theory",            "cs",       kActive,   "",        ""},
    {"cs.GL",              "General Literature",                              "cs",       kActive,   "",        ""},
    {"cs.GR",              "Graphics",                                        "cs",       kActive,   "",        ""},
    {"cs.GT",              "Computer Science and Game Theory",                "cs",       kActive,   "",        ""},
    {"cs.HC",              "Human-Computer Interaction",                      "cs",       kActive,   "",        ""},
    {"cs.IR",              "Information Retrieval",                           "cs",       kActive,   "",        ""},
    {"cs.IT",              "Information Theory",                              "cs",       kActive,   "",        ""},
    {"cs.LG",              "Machine Learning",                                "cs",       kActive,   "",        ""},
    {"cs.LO",              "Logic in Computer Science",                       "cs",       kActive,   "",        ""},
    {"cs.MA",              "Multiagent Systems",                              "cs",       kActive,   "",        ""},
    {"cs.MM",              "Multimedia",                                      "cs",       kActive,   "",        ""},
    {"cs.MS",              "Mathematical Software",                           "cs",       kActive,   "",        ""},
    {"cs.NA",              "Numerical Analysis",                              "cs",       kActive,   "math.NA", ""},
    {"cs.NE",              "Neural and Evolutionary Computing",               "cs",       kActive,   "",        ""},
    {"cs.NI",              "Networking and Internet Architecture",            "cs",       kActive,   "",        ""},
    {"cs.OH",              "Other Computer Science",                          "cs",       kActive,   "",        ""},
    {"cs.OS",              "Operating Systems",                               "cs",       kActive,   "",        ""},
    {"cs.PF",              "Performance",                                     "cs",       kActive,   "",        ""},
    {"cs.PL",              "Programming Languages",                           "cs",       kActive,   "",        ""},
    {"cs.RO",              "Robotics",                                        "cs",       kActive,   "",        ""},
    {"cs.SC",              "Symbolic Computation",                            "cs",       kActive,   "",        ""},
    {"cs.SD",              "Sound",                                           "cs",       kActive,   "",        ""},
    {"cs.SE",              "Software Engineering",                            "cs",       kActive,   "",        ""},
    {"cs.SI",              "Social and Information Networks",                 "cs",       kActive,   "",        ""},
    {"cs.SY",              "Systems and Control",                             "cs",       kActive,   "eess.SY", ""},
    {"dg-ga",              "Differential Geometry",                           "dg-ga",    kInactive, "",        "math.DG"},
    {"econ.EM",            "Econometrics",                                    "econ",     kActive,   "",        ""},
    {"econ.GN",            "General Economics",                               "econ",     kActive,   "",        ""},
    {"econ.TH",            "Theoretical Economics",                           "econ",     kActive,   "",        ""},
    {"eess.AS",            "Audio and Speech Processing",                     "eess",     kActive,   "",        ""},
    {"eess.IV",            "Image and Video Processing",                      "eess",     kActive,   "",        ""},
    {"eess.SP",            "Signal Processing",                               "eess",     kActive,   "",        ""},
    {"eess.SY",            "Systems and Control",                             "eess",     kActive,   "",        ""},
    {"funct-an",           "Functional Analysis",                             "funct-an", kInactive, "",        "math.FA"},
    {"gr-qc",              "General Relativity and Quantum Cosmology",        "gr-qc",    kActive,   "",        ""},
    {"hep-ex",             "High Energy Physics - Experiment",                "hep-ex",   kActive,   "",        ""},
    {"hep-lat",            "High Energy Physics - Lattice",                   "hep-lat",  kActive,   "",        ""},
    {"hep-ph",             "High Energy Physics - Phenomenology",             "hep-ph",   kActive,   "",        ""},
    {"hep-th",             "High Energy Physics - Theory",                    "hep-th",   kActive,   "",        ""},
    {"math-ph",            "Mathematical Physics",                            "math-ph",  kActive,   "",        ""},
    {"math.AC",            "Commutative Algebra",                             "math",     kActive,   "",        ""},
    {"math.AG",            "Algebraic Geometry",                              "math",     kActive,   "",        ""},
    {"math.AP",            "Analysis of PDEs",                                "math",     kActive,   "",        ""},
    {"math.AT",            "Algebraic Topology",                              "math",     kActive,   "",        ""},
    {"math.CA",            "Classical Analysis and ODEs",                     "math",     kActive,   "",        ""},
    {"math.CO",            "Combinatorics",                                   "math",     kActive,   "",        ""},
    {"math.CT",            "Category Theory",                                 "math",     kActive,   "",        ""},
    {"math.CV",            "Complex Variables",                               "math",     kActive,   "",        ""},
    {"math.DG",            "Differential Geometry",                           "math",     kActive,   "",        ""},
    {"math.DS",            "Dynamical Systems",                               "math",     kActive,   "",        ""},
    {"math.FA",            "Functional Analysis",                             "math",     kActive,   "",        ""},
    {"math.GM",            "General Mathematics",                             "math",     kActive,   "",        ""},
    {"math.GN",            "General Topology",                                "math",     kActive,   "",        ""},
    {"math.GR",            "Group Theory",                                    "math",     kActive,   "",        ""},
    {"math.GT",            "Geometric Topology",                              "math",     kActive,   "",        ""},
    {"math.HO",            "History and Overview",                            "math",     kActive,   "",        ""},
    {"math.IT",            "Information Theory",                              "math",     kActive,   "cs.IT",   ""},
    {"math.KT",            "K-Theory and Homology",                           "math",     kActive,   "",        ""},
    {"math.LO",            "Logic",                                           "math",     kActive,   "",        ""},
    {"math.MG",            "Metric Geometry",                                 "math",     kActive,   "",        ""},
    {"math.MP",            "Mathematical Physics",                            "math",     kActive,   "math-ph", ""},
    {"math.NA",            "Numerical Analysis",                              "math",     kActive,   "",        ""},
    {"math.NT",            "Number Theory",                                   "math",     kActive,   "",        ""},
    {"math.OA",            "Operator Algebras",                               "math",     kActive,   "",        ""},
    {"math.OC",            "Optimization and Control",                        "math",     kActive,   "",        ""},
    {"math.PR",            "Probability",                                     "math",     kActive,   "",        ""},
    {"math.QA",            "Quantum Algebra",                                 "math",     kActive,   "",        ""},
    {"math.RA",            "Rings and Algebras",                              "math",     kActive,   "",        ""},
    {"math.RT",            "Representation Theory",                           "math",     kActive,   "",        ""},
    {"math.SG",            "Symplectic Geometry",                             "math",     kActive,   "",        ""},
    {"math.SP",            "Spectral Theory",                                 "math",     kActive,   "",        ""},
    {"math.ST",            "Statistics Theory",                               "math",     kActive,   "",        ""},
    {"mtrl-th",            "Materials Theory",                                "mtrl-th",  kInactive, "",        "cond-mat.mtrl-sci"},
    {"nlin.AO",            "Adaptation and Self-Organizing Systems",          "nlin",     kActive,   "",        ""},
    {"nlin.CD",            "Chaotic Dynamics",                                "nlin",     kActive,   "",        ""},
    {"nlin.CG",            "Cellular Automata and Lattice Gases",             "nlin",     kActive,   "",        ""},
    {"nlin.PS",            "Pattern Formation and Solitons",                  "nlin",     kActive,   "",        ""},
    {"nlin.SI",            "Exactly Solvable and Integrable Systems",         "nlin",     kActive,   "",        ""},
    {"nucl-ex",            "Nuclear Experiment",                              "nucl-ex",  kActive,   "",        ""},
    {"nucl-th",            "Nuclear Theory",                                  "nucl-th",  kActive,   "",        ""},
    {"patt-sol",           "Pattern Formation and Solitons",                  "patt-sol", kInactive, "",        "nlin.PS"},
    {"physics.acc-ph",     "Accelerator Physics",                             "physics",  kActive,   "",        ""},
    {"physics.ao-ph",      "Atmospheric and Oceanic Physics",                 "physics",  kActive,   "",        ""},
    {"physics.app-ph",     "Applied Physics",                                 "physics",  kActive,   "",        ""},
    {"physics.atm-clus",   "Atomic and Molecular Clusters",                   "physics",  kActive,   "",        ""},
    {"physics.atom-ph",    "Atomic Physics",                                  "physics",  kActive,   "",        ""},
    {"physics.bio-ph",     "Biological Physics",                              "physics",  kActive,   "",        ""},
    {"physics.chem-ph",    "Chemical Physics",                                "physics",  kActive,   "",        ""},
    {"physics.class-ph",   "Classical Physics",                               "physics",  kActive,   "",        ""},
    {"physics.comp-ph",    "Computational Physics",                           "physics",  kActive,   "",        ""},
    {"physics.data-an",    "Data Analysis, Statistics and Probability",       "physics",  kActive,   "",        ""},
    {"physics.ed-ph",      "Physics Education",                               "physics",  kActive,   "",        ""},
    {"physics.flu-dyn",    "Fluid Dynamics",                                  "physics",  kActive,   "",        ""},
    {"physics.gen-ph",     "General Physics",                                 "physics",  kActive,   "",        ""},
    {"physics.geo-ph",     "Geophysics",                                      "physics",  kActive,   "",        ""},
    {"physics.hist-ph",    "History and Philosophy of Physics",               "physics",  kActive,   "",        ""},
    {"physics.ins-det",    "Instrumentation and Detectors",                   "physics",  kActive,   "",        ""},
    {"physics.med-ph",     "Medical Physics",                                 "physics",  kActive,   "",        ""},
    {"physics.optics",     "Optics",                                          "physics",  kActive,   "",        ""},
    {"physics.plasm-ph",   "Plasma Physics",                                  "physics",  kActive,   "",        ""},
    {"physics.pop-ph",     "Popular Physics",                                 "physics",  kActive,   "",        ""},
    {"physics.soc-ph",     "Physics and Society",                             "physics",  kActive,   "",        ""},
    {"physics.space-ph",   "Space Physics",                                   "physics",  kActive,   "",        ""},
    {"plasm-ph",           "Plasma Physics",                                  "plasm-ph", kInactive, "",        "physics.plasm-ph"},
    {"q-alg",              "Quantum Algebra and Topology",                    "q-alg",    kInactive, "",        "math.QA"},
    {"q-bio",              "Quantitative Biology",                            "q-bio",    kInactive, "",        ""},
    {"q-bio.BM",           "Biomolecules",                                    "q-bio",    kActive,   "",        ""},
    {"q-bio.CB",           "Cell Behavior",                                   "q-bio",    kActive,   "",        ""},
    {"q-bio.GN",           "Genomics",                                        "q-bio",    kActive,   "",        ""},
    {"q-bio.MN",           "Molecular Networks",                              "q-bio",    kActive,   "",        ""},
    {"q-bio.NC",           "Neurons and Cognition",                           "q-bio",    kActive,   "",        ""},
    {"q-bio.OT",           "Other Quantitative Biology",                      "q-bio",    kActive,   "",        ""},
    {"q-bio.PE",           "Populations and Evolution",                       "q-bio",    kActive,   "",        ""},
    {"q-bio.QM",           "Quantitative Methods",                            "q-bio",    kActive,   "",        ""},
    {"q-bio.SC",           "Subcellular Processes",                           "q-bio",    kActive,   "",        ""},
    {"q-bio.TO",           "Tissues and Organs",                              "q-bio",    kActive,   "",        ""},
    {"q-fin.CP",           "Computational Finance",                           "q-fin",    kActive,   "",        ""},
    {"q-fin.EC",           "Economics",                                       "q-fin",    kActive,   "econ.GN", ""},
    {"q-fin.GN",           "General Finance",                                 "q-fin",    kActive,   "",        ""},
    {"q-fin.MF",           "Mathematical Finance",                            "q-fin",    kActive,   "",        ""},
    {"q-fin.PM",           "Portfolio Management",                            "q-fin",    kActive,   "",        ""},
    {"q-fin.PR",           "Pricing of Securities",                           "q-fin",    kActive,   "",        ""},
    {"q-fin.RM",           "Risk Management",                                 "q-fin",    kActive,   "",        ""},
    {"q-fin.ST",           "Statistical Finance",                             "q-fin",    kActive,   "",        ""},
    {"q-fin.TR",           "Trading and Market Microstructure",               "q-fin",    kActive,   "",        ""},
    {"quant-ph",           "Quantum Physics",                                 "quant-ph", kActive,   "",        ""},
    {"solv-int",           "Exactly Solvable and Integrable Systems",         "solv-int", kInactive, "",        "nlin.SI"},
    {"stat.AP",            "Applications",                                    "stat",     kActive,   "",        ""},
    {"stat.CO",            "Computation",                                     "stat",     kActive,   "",        ""},
    {"stat.ME",            "Methodology",                                     "stat",     kActive,   "",        ""},
    {"stat.ML",            "Machine Learning",                                "stat",     kActive,   "",        ""},
    {"stat.OT",            "Other Statistics",                                "stat",     kActive,   "",        ""},
    {"stat.TH",            "Statistics Theory",                               "stat",     kActive,   "math.ST", ""},
    {"supr-con",           "Superconductivity",                               "supr-con", kInactive, "",        "cond-mat.supr-con"},
};
// clang-format on

template <typename Row>
const Row& row_by_key(const Row* begin, const Row* end, std::string_view key, std::string_view Row::*field) {
  const Row* found = std::find_if(begin, end, [&](const Row& row) { return row.*field == key; });
  if (found == end) {
    // The tables are fixed at compile time; reaching this means they were edited inconsistently.
    throw Error("taxonomy table: unknown reference '" + std::string(key) + "'");
  }
  return *found;
}

}  // namespace

std::vector<Category> builtin_categories() {
  std::vector<Category> categories;
  categories.reserve(std::size(kCategories));
  for (const CategoryRow& row : kCategories) {
    const ArchiveRow& archive =
        row_by_key(std::begin(kArchives), std::end(kArchives), row.archive, &ArchiveRow::code);
    const GroupRow& group = row_by_key(std::begin(kGroups), std::end(kGroups), archive.group, &GroupRow::id);
    categories.push_back(Category{
        .code = std::string(row.code),
        .name = std::string(row.name),
        .archive = std::string(archive.code),
        .archive_name = std::string(archive.name),
        .group = std::string(group.id),
        .group_name = std::string(group.name),
        .active = row.active,
        .alias_of = std::string(row.alias_of),
        .subsumed_by = std::string(row.subsumed_by),
    });
  }
  return categories;
}

}  // namespace arxivc::taxonomy
