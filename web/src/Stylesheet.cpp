// The dashboard's one stylesheet, served by Duly itself at /static/duly.css
// (no assets from outside the machine). Colours are chosen for contrast of
// at least 4.5:1 and every state shown in colour is also written in words.
#include "duly/web/Dashboard.h"

namespace duly::web {

const std::string& Dashboard::stylesheet() {
    static const std::string css = R"css(
*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; font-size: 100%; line-height: 1.5; color: #1b1b1b; background: #ffffff; }
body { margin: 0; }
a { color: #1d4f7c; text-decoration-thickness: 1px; text-underline-offset: 2px; }
a:visited { color: #4c2c92; }
a:hover { color: #0b2b45; text-decoration-thickness: 3px; }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 0; box-shadow: 0 0 0 6px #0b0c0c; }
.skip { position: absolute; left: -999px; top: 0; background: #ffbf47; color: #0b0c0c; padding: 0.5rem 1rem; }
.skip:focus { left: 0.5rem; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; padding: 0.5rem 1.5rem; background: #0b2b45; color: #ffffff; }
header.top a, header.top a:visited { color: #ffffff; }
.brand { font-weight: 700; font-size: 1.4rem; margin: 0; letter-spacing: 0.02em; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0; padding: 0; }
nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 4px; }
.signout { margin-left: auto; display: flex; align-items: center; gap: 0.75rem; flex-wrap: wrap; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
main:focus { outline: none; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 0.75rem; }
.lead { font-size: 1.15rem; max-width: 46rem; }
.meta, .hint { color: #484949; font-size: 0.95rem; }
.hint { display: block; }
.ref { font-weight: 400; color: #484949; font-size: 1.2rem; white-space: nowrap; }
.narrow { max-width: 30rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
caption { text-align: left; font-weight: 700; padding: 0.25rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.6rem 0.75rem 0.6rem 0; border-bottom: 1px solid #b1b4b6; }
thead th { border-bottom: 2px solid #0b0c0c; }
table.numbers td { font-variant-numeric: tabular-nums; }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid #0b0c0c; }
td.bad { color: #8a1c22; font-weight: 700; }
.tag { display: inline-block; padding: 0.1rem 0.5rem; font-weight: 700; border: 2px solid transparent; white-space: nowrap; }
.tag-overdue { background: #8a1c22; color: #ffffff; }
.tag-today { background: #ffdd57; color: #0b0c0c; border-color: #6f5a00; }
.tag-soon { background: #d2e6f5; color: #0b2b45; border-color: #1d4f7c; }
.tag-later { background: #ffffff; color: #1b1b1b; border-color: #6f777b; }
.tag-done { background: #d9eedb; color: #0f4d1c; border-color: #0f4d1c; }
.tag-paused { background: #ece6f4; color: #3d2466; border-color: #4c2c92; }
.paused { border-left: 6px solid #4c2c92; background: #f6f3fa; padding: 0.5rem 1rem; margin: 1rem 0; }
.paused h3 { margin-top: 0.25rem; }
table.queue-paused { border-left: 6px solid #4c2c92; }
table.queue-paused th:first-child, table.queue-paused td:first-child { padding-left: 0.75rem; }
ul.counts { list-style: none; display: flex; flex-wrap: wrap; gap: 0.5rem; padding: 0; margin: 0 0 1rem; }
table.queue-overdue { border-left: 6px solid #8a1c22; }
table.queue-overdue th:first-child, table.queue-overdue td:first-child { padding-left: 0.75rem; }
.empty { font-size: 1.15rem; }
.notice { border-left: 6px solid #0f4d1c; background: #eef7ef; padding: 0.5rem 1rem; margin: 1rem 0; }
.error-summary { border: 4px solid #8a1c22; padding: 0.75rem 1rem; margin: 1rem 0; }
.error-summary h2 { margin-top: 0; color: #8a1c22; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1.5rem; }
dl.summary dt { font-weight: 700; }
dl.summary dd { margin: 0; }
ul.deadlines { list-style: none; padding: 0; }
ul.deadlines li { margin: 0.4rem 0; }
details { margin: 0.5rem 0; }
summary { cursor: pointer; color: #1d4f7c; text-decoration: underline; }
pre { white-space: pre-wrap; background: #f3f2f1; padding: 0.75rem; max-height: 30rem; overflow: auto; }
.actions { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; align-items: start; }
form.action fieldset { border: 2px solid #b1b4b6; padding: 0.75rem 1rem; margin: 0; }
legend { font-weight: 700; font-size: 1.1rem; padding: 0 0.25rem; }
label { display: block; font-weight: 700; margin-bottom: 0.2rem; }
input, select, textarea { font: inherit; border: 2px solid #0b0c0c; padding: 0.35rem 0.5rem; width: 100%; max-width: 28rem; }
input[type=radio], input[type=checkbox] { width: 1.4rem; height: 1.4rem; padding: 0; margin: 0 0.5rem 0 0; vertical-align: middle; }
input[type=radio] + label, input[type=checkbox] + label { display: inline; font-weight: 400; }
fieldset.choices { border: 0; padding: 0; margin: 0 0 0.75rem; }
fieldset.choices legend { font-size: 1rem; padding: 0; }
fieldset.choices p { margin: 0.35rem 0; }
div.call-task { border-left: 6px solid #1d4f7c; background: #f3f2f1; padding: 0.5rem 1rem; margin-bottom: 1rem; }
button { font: inherit; font-weight: 700; background: #00703c; color: #ffffff; border: 0; box-shadow: 0 2px 0 #002d18; padding: 0.5rem 1rem; cursor: pointer; }
button:hover { background: #005a30; }
button.secondary { background: #f3f2f1; color: #0b0c0c; box-shadow: 0 2px 0 #929191; }
button.secondary:hover { background: #dbdad9; }
form.action.wide { grid-column: 1 / -1; }
form.action.wide textarea { max-width: 46rem; }
section.preview { grid-column: 1 / -1; }
section.preview pre { max-width: 46rem; border-left: 6px solid #1d4f7c; }
header.top button { background: #ffffff; color: #0b2b45; box-shadow: none; }
form.filters { display: flex; flex-wrap: wrap; gap: 0 1rem; align-items: end; }
form.filters input, form.filters select { width: auto; }
ol.timeline { list-style: none; padding: 0; border-left: 3px solid #b1b4b6; }
ol.timeline li { padding: 0.4rem 0 0.4rem 1rem; }
ol.timeline time { font-variant-numeric: tabular-nums; color: #484949; margin-right: 0.5rem; }
figure.chart { margin: 1rem 0; }
figure.chart figcaption { font-weight: 700; }
ul.big { font-size: 1.3rem; }
@media print { header.top, .skip, .noprint, form { display: none; } main { max-width: none; } a { color: #000; text-decoration: none; } }
)css";
    return css;
}

}  // namespace duly::web
