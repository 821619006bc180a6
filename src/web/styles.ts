/**
 * The operations room's one stylesheet, inlined in every page (no request, no build step). Colours
 * keep a contrast of 4.5:1 or more; below 700 px tables become one card per row; print drops the
 * navigation and forms.
 */
export const styles = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f6f7f9}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.5rem 1rem;background:#0b3a5b;color:#fff}
header a,header .link{color:#fff}
.brand{font-weight:700;margin:0}
nav{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;flex:1}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
nav a[aria-current]{font-weight:700;text-decoration-thickness:3px}
.who{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:0 0 0 auto}
main{padding:1rem;max-width:1400px;margin:0 auto}
h1{font-size:1.4rem;margin:.25rem 0 .75rem}
h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
a{color:#0b4f8a}
.inline{display:inline}
button,.button{font:inherit;padding:.45rem .9rem;border:1px solid #0b3a5b;border-radius:4px;background:#0b3a5b;color:#fff;cursor:pointer;min-height:44px}
button.link{background:none;border:none;padding:0;min-height:0;text-decoration:underline;color:inherit}
button.secondary{background:#fff;color:#0b3a5b}
input,select,textarea{font:inherit;padding:.4rem;border:1px solid #6b7280;border-radius:4px;max-width:100%}
textarea{width:100%}
.grid>div{min-width:0}
.card dd{overflow-wrap:anywhere}
label{display:block;font-weight:600;margin:.3rem 0 .15rem}
fieldset{border:1px solid #c5cad1;border-radius:4px;margin:.5rem 0;padding:.5rem .75rem}
fieldset label{display:inline-flex;gap:.35rem;font-weight:400;margin-right:1rem;align-items:center}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin-bottom:.75rem}
.filters label{margin:0}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #dde1e6;vertical-align:top}
th{background:#eef1f4}
caption{text-align:left;padding:.25rem 0}
td.num,th.num{text-align:right}
.sev{display:inline-block;padding:0 .4rem;border-radius:3px;font-weight:600}
.sev-critical{background:#fde2e2;color:#7a0010}.sev-high{background:#fdebd3;color:#6b3a00}
.sev-medium{background:#fff4c2;color:#5c4a00}.sev-low{background:#e3eefc;color:#123f73}
.late{color:#9b0014;font-weight:700}
.notice{padding:.6rem .8rem;border-left:4px solid #0b4f8a;background:#e8f1fa;margin:.5rem 0}
.notice.error{border-color:#9b0014;background:#fdecee}
.card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.75rem 1rem;margin-bottom:1rem}
.card dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
.card dt{font-weight:600}.card dd{margin:0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.actions form{margin-bottom:.75rem}
ol.timeline,ol.talk{padding-left:1.2rem}
ol.talk li.officer{color:#0b3a5b}
.chart{max-width:100%;height:auto;background:#fff}
.heat td{text-align:center;min-width:2.2rem}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0}
.swatch{display:inline-block;width:.9rem;height:.9rem;border:1px solid #444;margin-right:.3rem;vertical-align:middle}
.small{font-size:.85rem;color:#3d4450}
@media (max-width:700px){
  .grid{grid-template-columns:1fr}
  table.rows thead{position:absolute;left:-9999px}
  table.rows tr{display:block;border-bottom:2px solid #c5cad1;padding:.3rem 0}
  table.rows td,table.rows tbody th{display:flex;gap:.5rem;border:0;padding:.15rem .5rem;background:none;text-align:left}
  table.rows td::before,table.rows tbody th::before{content:attr(data-label);font-weight:600;min-width:7rem}
  .scroll{overflow-x:auto}
}
@media print{header,nav,form,.no-print{display:none!important}body{background:#fff}main{max-width:none}.card{border:0}}
`;
